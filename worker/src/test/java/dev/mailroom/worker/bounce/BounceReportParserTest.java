package dev.mailroom.worker.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.bounce.BounceReport;
import dev.mailroom.core.bounce.BounceType;
import dev.mailroom.core.bounce.LaterBounce;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** DSN and ARF reports as Postfix, Exchange Online, Gmail and a feedback loop write them (test resources). */
class BounceReportParserTest {
    private final BounceReportParser parser = new BounceReportParser();

    @Test
    void a_postfix_user_unknown_is_a_hard_mailbox_bounce_with_its_verp_address_and_original_message_id() throws Exception {
        BounceReport r = parser.parse(resource("postfix-user-unknown.eml"));
        assertThat(r.reportId()).isEqualTo("<20261202101502.4F1A2B3C4D@mail.example.com>");
        assertThat(r.returnAddresses()).contains("bounces+v1.abcdef@bounces.example.com");
        assertThat(r.originalMessageId()).isEqualTo("<mr.7.42@example.com>");
        LaterBounce b = single(r);
        assertThat(b.email()).isEqualTo("gone@example.org");
        assertThat(b.type()).isEqualTo(BounceType.HARD);
        assertThat(b.suppresses()).isTrue();
        assertThat(b.smtpCode()).isEqualTo(550);
        assertThat(b.rule()).isEqualTo("dsn 5.1.1 failed: mailbox refused");
        assertThat(b.diagnostic()).isEqualTo(
                "550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown in virtual mailbox table");
    }

    @Test
    void an_exchange_online_recipient_not_found_is_a_hard_mailbox_bounce_matched_by_the_returned_message() throws Exception {
        BounceReport r = parser.parse(resource("exchange-recipient-not-found.eml"));
        assertThat(r.originalMessageId()).isEqualTo("<mr.7.44@example.com>");
        assertThat(r.returnAddresses()).noneMatch(a -> a.startsWith("bounces+"));
        LaterBounce b = single(r);
        assertThat(b.email()).isEqualTo("left@contoso.com");
        assertThat(b.suppresses()).isTrue();
        assertThat(b.rule()).isEqualTo("dsn 5.1.10 failed: mailbox refused");
        assertThat(b.diagnostic()).startsWith("550 5.1.10 RESOLVER.ADR.RecipientNotFound");
    }

    @Test
    void I15_a_gmail_unauthenticated_sender_block_is_a_hard_bounce_that_suppresses_nobody() throws Exception {
        BounceReport r = parser.parse(resource("gmail-unauthenticated.eml"));
        assertThat(r.returnAddresses()).contains("bounces+v1.ghijkl@bounces.example.com");
        assertThat(r.originalMessageId()).isEqualTo("<mr.7.45@example.com>");
        LaterBounce b = single(r);
        assertThat(b.type()).isEqualTo(BounceType.HARD);
        assertThat(b.suppresses()).isFalse();
        assertThat(b.rule()).isEqualTo("dsn 5.7.26 failed: message refused, not suppressed (I15)");
        assertThat(b.diagnostic()).doesNotContain("\n").contains("Gmail requires all senders to authenticate");
    }

    @Test
    void an_arf_abuse_report_is_a_complaint_about_the_original_recipient() throws Exception {
        BounceReport r = parser.parse(resource("arf-abuse.eml"));
        assertThat(r.reportId()).isEqualTo("<fbl.20261203080000.9f8e7d@feedback.example.net>");
        assertThat(r.originalMessageId()).isEqualTo("<mr.7.43@example.com>");
        assertThat(r.returnAddresses()).contains("bounces+v1.mnopqr@bounces.example.com");
        LaterBounce b = single(r);
        assertThat(b.email()).isEqualTo("angry@example.net");
        assertThat(b.type()).isEqualTo(BounceType.COMPLAINT);
        assertThat(b.suppresses()).isTrue();
        assertThat(b.rule()).isEqualTo("arf abuse");
    }

    @Test
    void a_delayed_dsn_is_a_soft_bounce_that_suppresses_nobody() throws Exception {
        BounceReport r = parser.parse(message(text("postfix-user-unknown.eml")
                .replace("Action: failed", "Action: delayed").replace("Status: 5.1.1", "Status: 4.4.1")
                .replace("smtp; 550 5.1.1", "smtp; 451 4.4.1")));
        LaterBounce b = single(r);
        assertThat(b.type()).isEqualTo(BounceType.SOFT);
        assertThat(b.suppresses()).isFalse();
        assertThat(b.rule()).isEqualTo("dsn 4.4.1 delayed");
    }

    @Test
    void mail_that_is_no_report_reads_as_no_bounce_and_a_report_without_message_id_gets_a_stable_id() throws Exception {
        String plain = "From: someone@example.net\r\nTo: bounces@bounces.example.com\r\nSubject: hi\r\n\r\nAre you there?\r\n";
        BounceReport first = parser.parse(message(plain));
        assertThat(first.bounces()).isEmpty();
        assertThat(first.reportId()).startsWith("sha256:").isEqualTo(parser.parse(message(plain)).reportId());
    }

    @Test
    void a_report_wrapped_in_multipart_mixed_by_a_gateway_is_still_found() throws Exception {
        String dsn = text("postfix-user-unknown.eml");
        int body = dsn.indexOf("\r\n\r\n");
        String headers = dsn.substring(0, body);
        String contentType = headers.substring(headers.indexOf("Content-Type:"), headers.indexOf("Content-Transfer-Encoding:"));
        String wrapped = headers.replace(contentType, "Content-Type: multipart/mixed; boundary=\"outer\"\r\n")
                + "\r\n\r\n--outer\r\n" + contentType + "\r\n" + dsn.substring(body + 4) + "\r\n--outer--\r\n";
        assertThat(single(parser.parse(message(wrapped))).rule()).isEqualTo("dsn 5.1.1 failed: mailbox refused");
    }

    private static LaterBounce single(BounceReport r) {
        assertThat(r.bounces()).hasSize(1);
        return r.bounces().get(0);
    }

    static String text(String name) throws Exception {
        try (InputStream in = BounceReportParserTest.class.getResourceAsStream("/bounces/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static MimeMessage resource(String name) throws Exception {
        return message(text(name));
    }

    static MimeMessage message(String text) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}
