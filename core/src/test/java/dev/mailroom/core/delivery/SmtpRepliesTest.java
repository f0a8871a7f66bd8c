package dev.mailroom.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.defer.DeferReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * I15 fed with real servers' reply lines (Postfix, Exim, Exchange / Office 365, Gmail, Yahoo, Mail.ru,
 * Yandex), as they appear in their documentation and bounce logs. Seen failing with the invariant broken:
 * with the stage ignored (every 550 a mailbox refusal, as before) the policy and sender rows fail.
 */
class SmtpRepliesTest {
    @ParameterizedTest(name = "{0} at {1}: {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            postfix  | RCPT | 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table | mailbox
            postfix  | RCPT | 550 5.1.1 <x@example.org>: Recipient address rejected: User unknown in local recipient table     | mailbox
            postfix  | RCPT | 554 5.7.1 <x@example.org>: Relay access denied                                                   | message
            postfix  | RCPT | 450 4.7.1 <x@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/ | later
            postfix  | RCPT | 451 4.3.5 Server configuration problem                                                            | later
            postfix  | MAIL | 553 5.7.1 <news@example.com>: Sender address rejected: not owned by user relay@example.com        | sender
            postfix  | RCPT | 550 5.1.0 <news@example.com>: Sender address rejected: User unknown in local recipient table     | sender
            postfix  | RCPT | 450 4.1.8 <news@example.com>: Sender address rejected: Domain not found                          | unreachable
            postfix  | DATA | 552 5.3.4 Message size exceeds fixed limit                                                        | message
            postfix  | AUTH | 535 5.7.8 Error: authentication failed: authentication failure                                    | auth
            postfix  | MAIL | 530 5.7.0 Must issue a STARTTLS command first                                                     | auth
            exim     | RCPT | 550 Unrouteable address                                                                           | message
            exim     | RCPT | 550 No such user here                                                                             | mailbox
            exim     | RCPT | 451 Temporary local problem - please try later                                                    | later
            exim     | MAIL | 550 Verification failed for <news@example.com> - Sender verify failed                            | sender
            exim     | DATA | 550 Administrative prohibition                                                                    | message
            exchange | RCPT | 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup             | mailbox
            exchange | RCPT | 550 5.7.1 Unable to relay                                                                         | message
            exchange | MAIL | 530 5.7.57 Client not authenticated to send mail. Error: 530 5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM | auth
            exchange | AUTH | 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.     | auth
            exchange | DATA | 554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception | message
            exchange | DATA | 550 5.7.60 SMTP; Client does not have permissions to send as this sender                         | sender
            exchange | RCPT | 452 4.3.1 Insufficient system resources                                                            | later
            gmail    | RCPT | 550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address | mailbox
            gmail    | RCPT | 550 5.2.1 The email account that you tried to reach is disabled.                                  | mailbox
            gmail    | RCPT | 452-4.2.2 The email account that you tried to reach is over quota.                               | later
            gmail    | DATA | 550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users | message
            gmail    | DATA | 550-5.7.26 This message does not pass authentication checks (SPF and DKIM both do not pass).      | message
            gmail    | DATA | 550-5.7.1 Our system has detected that this message is likely unsolicited mail.                   | message
            gmail    | DATA | 421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address | later
            gmail    | RCPT | 421-4.7.0 Try again later, closing connection.                                                    | later
            gmail    | DATA | 552-5.2.3 Your message exceeded Google's message size limits.                                     | message
            gmail    | AUTH | 535-5.7.8 Username and Password not accepted.                                                     | auth
            gmail    | MAIL | 530-5.7.0 Authentication Required.                                                                | auth
            yahoo    | RCPT | 554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0] - mta1234.mail.ne1.yahoo.com | mailbox
            yahoo    | RCPT | 421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints | later
            yahoo    | DATA | 554 5.7.9 Message not accepted for policy reasons.                                                | message
            yahoo    | CONNECT | 553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list | unreachable
            mailru   | RCPT | 550 Message was not accepted -- invalid mailbox.  Local mailbox x@mail.ru is unavailable: user not found | mailbox
            mailru   | DATA | 550 spam message rejected. Please visit http://help.mail.ru/notspam-support/id?c=abc            | message
            mailru   | RCPT | 451 Too many recipients, try later                                                                | later
            yandex   | RCPT | 550 5.7.1 No such user!                                                                           | mailbox
            yandex   | DATA | 554 5.7.1 [2] Message rejected under suspicion of SPAM; https://ya.cc/1IrBc                       | message
            yandex   | MAIL | 553 5.7.1 Sender address rejected: not owned by auth user.                                       | sender
            yandex   | AUTH | 535 5.7.8 Error: authentication failed: Invalid user or password!                                 | auth
            yandex   | RCPT | 451 4.7.1 Sorry, the service is currently unavailable. Please come back later.                    | later
            """)
    void I15_replies_mean_what_they_say(String server, SmtpStage stage, String reply, String meaning) {
        int code = Integer.parseInt(reply.substring(0, 3));
        DeliveryOutcome outcome = SmtpReplies.refusal(stage, code, reply);
        assertThat(meaning(outcome)).as(server).isEqualTo(meaning);
        assertThat(outcome.reply()).as("the code, the enhanced code and our words, never the server's text")
                .matches(code + "( [245]\\.\\d{1,3}\\.\\d{1,3})? (mailbox|message|sender|authentication|connection)( [a-z ]+)?");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            550 5.1.1 <x@example.org>: User unknown; see http://evil.example/?q=SECRET | 550 5.1.1 mailbox refused
            550-5.7.26 SECRET unauthenticated                                          | 550 5.7.26 message refused
            451 4.7.1 SECRET greylisted                                                | 451 4.7.1 message deferred
            550 SECRET 5.1.1 user unknown                                              | 550 mailbox refused
            """)
    void keeps_only_the_codes_that_lead_the_reply(String reply, String kept) {
        DeliveryOutcome outcome = SmtpReplies.refusal(SmtpStage.RCPT, Integer.parseInt(reply.substring(0, 3)), reply);
        assertThat(outcome.reply()).isEqualTo(kept);
        assertThat(SmtpReplies.accepted(250, "250 2.0.0 Ok: queued as SECRET").reply()).isEqualTo("250 2.0.0 accepted");
        assertThat(SmtpReplies.accepted(250, null).reply()).isEqualTo("250 accepted");
    }

    @ParameterizedTest(name = "written {0} -> {1}")
    @CsvSource({"false, unreachable", "true, uncertain"})
    void I15_a_connection_lost_is_the_relay_s_trouble_before_the_body_and_ambiguous_after_it(boolean written, String meaning) {
        assertThat(meaning(SmtpReplies.noAnswer(written, RelayFault.CONNECTION_TIMEOUT, "Read timed out"))).isEqualTo(meaning);
    }

    private static String meaning(DeliveryOutcome o) {
        return switch (o) {
            case DeliveryOutcome.Sent s -> "sent";
            case DeliveryOutcome.MailboxRefused m -> "mailbox";
            case DeliveryOutcome.MessageRefused m -> "message";
            case DeliveryOutcome.RetryLater r -> "later";
            case DeliveryOutcome.Unknown u -> "uncertain";
            case DeliveryOutcome.NotSent n -> "not sent";
            case DeliveryOutcome.RelayRefused r -> switch (r.reason()) {
                case SMTP_AUTH -> "auth";
                case SENDER_REFUSED -> "sender";
                case TRANSIENT_ERROR -> "unreachable";
                default -> r.reason().wire();
            };
        };
    }
}
