package dev.mailroom.worker.delivery;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.db.Database;
import dev.mailroom.db.postgres.JooqDomainHistory;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisCircuitBreakers;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.worker.Fixtures;
import dev.mailroom.worker.Worker;
import dev.mailroom.worker.WorkerConfig;
import dev.mailroom.worker.WorkerHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
            assertThat(reply.value2()).contains("user unknown");
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

    @Test
    void a_domain_failing_five_messages_opens_its_circuit_for_every_worker_and_the_rest_still_sends() {
        smtp.faults().recipientsMatching(".*@down\\.example").tempFailRcpt("421 4.7.0 rate limited", 1000);
        long sender = fx.sender(smtp.port(), 1000, 10000);
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 12; i++) emails.add("d" + i + "@down.example");
        for (int i = 0; i < 30; i++) emails.add("u" + i + "@up.example");
        long campaign = fx.queuedCampaign(sender, emails);
        fx.dsl.update(dev.mailroom.db.generated.Tables.CAMPAIGN).set(dev.mailroom.db.generated.Tables.CAMPAIGN.BATCH_SIZE, 5)
                .execute();
        Map<String, String> env = Map.of("MAILROOM_RETRY_BASE_MS", "100", "MAILROOM_MAX_ATTEMPTS", "50",
                "MAILROOM_CIRCUIT_COOLDOWN_MS", "60000", "MAILROOM_WORKER_CONCURRENCY", "1");
        try (Worker w1 = WorkerHarness.start("w1", env); Worker w2 = WorkerHarness.start("w2", env)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.count(campaign, "sent") == 30);
            await().atMost(Duration.ofSeconds(10)).until(() -> "deferred".equals(fx.status(campaign)));
        }
        // Five distinct failed messages open it; then nobody tries the domain again until the cool-down.
        long downAttempts = fx.dsl.fetchCount(DELIVERY_ATTEMPT, DELIVERY_ATTEMPT.RECIPIENT_DOMAIN.eq("down.example"));
        assertThat(downAttempts).isBetween(5L, 9L);
        assertThat(fx.dsl.fetchValue("select defer_reason from campaign_queue where campaign_id = " + campaign))
                .isEqualTo("circuit_open");
        assertThat(fx.count(campaign, "pending")).isEqualTo(12);
    }

    @Test
    void circuit_state_lost_with_redis_is_rebuilt_from_the_attempts_log() {
        smtp.faults().recipientsMatching(".*@down\\.example").tempFailRcpt("450 4.2.1 mailbox busy", 1000);
        long sender = fx.sender(smtp.port(), 1000, 10000);
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 6; i++) emails.add("d" + i + "@down.example");
        long campaign = fx.queuedCampaign(sender, emails);
        WorkerConfig config = WorkerHarness.config("w1", Map.of("MAILROOM_MAX_ATTEMPTS", "50"));
        try (Worker w = WorkerHarness.start("w1", Map.of("MAILROOM_MAX_ATTEMPTS", "50", "MAILROOM_RETRY_BASE_MS", "100"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "deferred".equals(fx.status(campaign)));
        }
        RedisExtension.flush();
        try (Database db = Database.connect(config.db(), "t"); Redis redis = Redis.connect(config.redis(), 2000)) {
            var breakers = new RedisCircuitBreakers(redis, new JooqDomainHistory(db.dsl()), 5, Duration.ofMinutes(5));
            assertThat(breakers.open(Instant.now())).containsOnlyKeys("down.example");
        }
    }

    @AfterEach
    void noDuplicates() {
        assertThat(smtp.receivedCounts().values()).allMatch(n -> n == 1);
    }
}
