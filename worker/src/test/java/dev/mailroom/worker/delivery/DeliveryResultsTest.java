package dev.mailroom.worker.delivery;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.worker.Fixtures;
import dev.mailroom.worker.Worker;
import dev.mailroom.worker.WorkerHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith({PostgresExtension.class, RedisExtension.class})
class DeliveryResultsTest {
    private final Fixtures fx = new Fixtures();
    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();

    @Test
    void I13_a_hard_bounce_suppresses_the_address_and_a_later_campaign_marks_it_suppressed_without_smtp() {
        smtp.faults().recipient("gone@example.org").rejectRcpt("550 5.1.1 <gone@example.org>: user unknown");
        long sender = fx.sender(smtp.port(), 1000, 10000);
        long first = fx.queuedCampaign(sender, List.of("ok@example.org", "gone@example.org"));
        try (Worker w = WorkerHarness.start("w1")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "completed_with_errors".equals(fx.status(first)));
            assertThat(fx.dsl.fetchExists(SUPPRESSION, SUPPRESSION.EMAIL.eq("gone@example.org")
                    .and(SUPPRESSION.REASON.eq("hard_bounce")))).isTrue();
            var reply = fx.dsl.select(DELIVERY_ATTEMPT.SMTP_CODE, DELIVERY_ATTEMPT.REPLY, DELIVERY_ATTEMPT.OUTCOME)
                    .from(DELIVERY_ATTEMPT).join(CAMPAIGN_RECIPIENT).on(CAMPAIGN_RECIPIENT.ID.eq(DELIVERY_ATTEMPT.RECIPIENT_ID))
                    .where(CAMPAIGN_RECIPIENT.EMAIL.eq("gone@example.org")).fetchOne();
            assertThat(reply.value1()).isEqualTo(550);
            assertThat(reply.value2()).as("our words, not the server's").isEqualTo("550 5.1.1 mailbox refused");
            assertThat(reply.value3()).isEqualTo("failed");

            long second = fx.queuedCampaign(sender, List.of("gone@example.org", "other@example.org"));
            await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(fx.status(second)));
            assertThat(fx.count(second, "suppressed")).isEqualTo(1);
        }
        assertThat(smtp.receivedBy("gone@example.org")).isZero();
        assertThat(smtp.receivedBy("other@example.org")).isEqualTo(1);
    }

    @Test
    void a_4xx_is_retried_and_then_succeeds_with_each_attempt_on_the_timeline() {
        smtp.faults().recipient("busy@example.org").tempFailRcpt("451 4.3.0 try again later", 1);
        long sender = fx.sender(smtp.port(), 1000, 10000);
        long campaign = fx.queuedCampaign(sender, List.of("busy@example.org"));
        try (Worker w = WorkerHarness.start("w1", Map.of("MAILROOM_RETRY_BASE_MS", "200"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(fx.status(campaign)));
        }
        assertThat(fx.dsl.select(DELIVERY_ATTEMPT.OUTCOME, DELIVERY_ATTEMPT.SMTP_CODE).from(DELIVERY_ATTEMPT)
                .orderBy(DELIVERY_ATTEMPT.ID).fetch().map(r -> r.value1() + ":" + r.value2()))
                .containsExactly("transient:451", "sent:250");
        assertThat(smtp.receivedBy("busy@example.org")).isEqualTo(1);
    }

    @AfterEach
    void noDuplicates() {
        assertThat(smtp.receivedCounts().values()).allMatch(n -> n == 1);
    }
}
