package dev.mailroom.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.defer.DeferReason;
import org.junit.jupiter.api.Test;

/** Faults are named as such, never passed off as an SMTP reply, and say in a sentence what they mean. */
class RelayFaultTest {

    @Test
    void a_refusal_of_our_credentials_or_sender_names_its_fault_whatever_its_code() {
        assertThat(SmtpReplies.refusal(SmtpStage.AUTH, 535, "535 5.7.8 Authentication credentials invalid").fault())
                .isEqualTo(RelayFault.AUTH_REFUSED);
        assertThat(SmtpReplies.refusal(SmtpStage.AUTH, 454, "454 4.7.0 Temporary authentication failure").fault())
                .as("deferred, still about our credentials").isEqualTo(RelayFault.AUTH_REFUSED);
        assertThat(SmtpReplies.refusal(SmtpStage.MAIL, 530, "530 5.7.0 Authentication required").fault())
                .isEqualTo(RelayFault.AUTH_REFUSED);
        assertThat(SmtpReplies.refusal(SmtpStage.MAIL, 550, "550 5.7.1 Sender address rejected").fault())
                .isEqualTo(RelayFault.SENDER_REFUSED);
        assertThat(SmtpReplies.refusal(SmtpStage.CONNECT, 554, "554 5.7.1 go away").fault()).isEqualTo(RelayFault.SMTP_REPLY);
    }

    @Test
    void replies_about_the_message_or_the_mailbox_are_no_fault() {
        assertThat(SmtpReplies.refusal(SmtpStage.RCPT, 550, "550 5.1.1 user unknown").fault()).isNull();
        assertThat(SmtpReplies.refusal(SmtpStage.DATA, 451, "451 4.7.1 greylisted").fault()).isNull();
        assertThat(SmtpReplies.accepted(250, "250 ok").fault()).isNull();
    }

    @Test
    void no_answer_carries_the_fault_it_was_given_and_after_the_body_is_a_lost_connection() {
        DeliveryOutcome refused = SmtpReplies.noAnswer(false, RelayFault.CONNECTION_REFUSED, "cannot connect: connection refused");
        assertThat(refused.fault()).isEqualTo(RelayFault.CONNECTION_REFUSED);
        assertThat(refused.code()).isZero();
        assertThat(SmtpReplies.noAnswer(true, RelayFault.CONNECTION_TIMEOUT, "timed out").fault())
                .isEqualTo(RelayFault.CONNECTION_LOST);
    }

    @Test
    void a_refusal_known_only_by_its_wait_names_what_it_can() {
        assertThat(new DeliveryOutcome.RelayRefused(DeferReason.SENDER_REFUSED, 0, "SMTP password unusable").fault())
                .as("refused on this side, before any connection").isEqualTo(RelayFault.SETTINGS_UNUSABLE);
        assertThat(new DeliveryOutcome.RelayRefused(DeferReason.TRANSIENT_ERROR, 0, "x").fault()).isEqualTo(RelayFault.CONNECTION_FAILED);
    }

    @Test
    void the_sentence_adds_our_words_only_where_they_say_more_and_the_code_round_trips() {
        assertThat(RelayFault.CONNECTION_REFUSED.describe("cannot connect: connection refused"))
                .startsWith("Nothing accepted the connection (connection refused)").doesNotContain("cannot connect");
        assertThat(RelayFault.AUTH_REFUSED.describe("535 5.7.8 authentication failed"))
                .isEqualTo("The mail server refused this sender's username or password: 535 5.7.8 authentication failed.");
        assertThat(RelayFault.AUTH_REFUSED.describe(null)).isEqualTo("The mail server refused this sender's username or password.");
        for (RelayFault f : RelayFault.values()) assertThat(RelayFault.fromWire(f.wire())).isEqualTo(f);
        assertThat(RelayFault.CONNECTION_REFUSED.wire()).isEqualTo("connection_refused");
        assertThat(RelayFault.fromWire("no_such_fault")).isNull();
    }
}
