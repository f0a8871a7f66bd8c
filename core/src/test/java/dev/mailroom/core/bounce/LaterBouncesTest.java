package dev.mailroom.core.bounce;

import dev.mailroom.core.delivery.MessageIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.secret.RecipientTokens.Addressee;
import org.junit.jupiter.api.Test;

class LaterBouncesTest {

    @Test
    void I15_only_a_refused_mailbox_suppresses_among_failed_dsns() {
        assertThat(LaterBounces.fromDsn("a@x.org", "failed", "5.1.1", "smtp; 550 5.1.1 user unknown").orElseThrow().suppresses()).isTrue();
        assertThat(LaterBounces.fromDsn("a@x.org", "failed", "5.2.1", "smtp; 550 5.2.1 mailbox disabled").orElseThrow().suppresses()).isTrue();
        // Yandex words a missing mailbox as a policy code.
        assertThat(LaterBounces.fromDsn("a@x.org", "Failed", "5.7.1", "smtp; 550 5.7.1 No such user!").orElseThrow().suppresses()).isTrue();
        LaterBounce spam = LaterBounces.fromDsn("a@x.org", "failed", "5.7.1", "smtp; 554 5.7.1 message rejected as spam").orElseThrow();
        assertThat(spam.type()).isEqualTo(BounceType.HARD);
        assertThat(spam.suppresses()).isFalse();
        assertThat(spam.smtpCode()).isEqualTo(554);
        LaterBounce sender = LaterBounces.fromDsn("a@x.org", "failed", "5.1.8", "smtp; 553 5.1.8 sender address rejected").orElseThrow();
        assertThat(sender.suppresses()).isFalse();
    }

    @Test
    void delays_and_temporary_failures_are_soft_and_deliveries_are_no_bounce() {
        assertThat(LaterBounces.fromDsn("a@x.org", "delayed", "4.4.1", null).orElseThrow().type()).isEqualTo(BounceType.SOFT);
        LaterBounce expired = LaterBounces.fromDsn("a@x.org", "failed", "4.4.7", "X-Postfix; delivery time expired").orElseThrow();
        assertThat(expired.type()).isEqualTo(BounceType.SOFT);
        assertThat(expired.suppresses()).isFalse();
        assertThat(LaterBounces.fromDsn("a@x.org", "delivered", "2.0.0", null)).isEmpty();
        assertThat(LaterBounces.fromDsn("a@x.org", "relayed", "2.0.0", null)).isEmpty();
    }

    @Test
    void only_an_abuse_feedback_report_is_a_complaint() {
        assertThat(LaterBounces.fromFeedback("a@x.org", "Abuse").orElseThrow().type()).isEqualTo(BounceType.COMPLAINT);
        assertThat(LaterBounces.fromFeedback("a@x.org", "not-spam")).isEmpty();
    }

    @Test
    void a_reported_hard_bounce_is_judged_by_the_reply_it_quotes_or_else_taken_at_its_word() {
        assertThat(LaterBounces.reported("a@x.org", BounceType.HARD, 550, "5.1.1 user unknown").suppresses()).isTrue();
        assertThat(LaterBounces.reported("a@x.org", BounceType.HARD, 550, "5.7.1 spam detected").suppresses()).isFalse();
        assertThat(LaterBounces.reported("a@x.org", BounceType.HARD, null, null).suppresses()).isTrue();
        assertThat(LaterBounces.reported("a@x.org", BounceType.SOFT, 421, null).suppresses()).isFalse();
        assertThat(LaterBounces.reported("a@x.org", BounceType.HARD, null, "line\r\nbreak").diagnostic()).isEqualTo("line break");
    }

    @Test
    void our_message_ids_read_back_to_the_addressee_they_were_written_for() {
        assertThat(MessageIds.parse("<mr.7.42@example.com>")).contains(Addressee.recipient(7, 42));
        assertThat(MessageIds.parse("mr.test.5@example.com")).contains(Addressee.testEmail(5));
        assertThat(MessageIds.parse("<CAF=abc@mail.gmail.com>")).isEmpty();
        assertThat(MessageIds.bracketed("mr.7.42@example.com")).isEqualTo("<mr.7.42@example.com>");
    }
}
