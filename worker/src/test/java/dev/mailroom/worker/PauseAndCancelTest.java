package dev.mailroom.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.campaign.UserAction;
import dev.mailroom.core.sender.Sender;
import dev.mailroom.db.postgres.JooqCampaignLifecycle;
import dev.mailroom.db.postgres.JooqSendLedger;
import dev.mailroom.db.postgres.JooqSenderStore;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.db.redis.RedisQuotaGate;
import dev.mailroom.db.redis.RedisSignals;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.SettableClock;
import dev.mailroom.testkit.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pause and cancel reach a running campaign before its next message, the way the web tier sends them. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class PauseAndCancelTest {
    private static final int TOTAL = 30;
    private static final int LANES = 2;

    private final FaultySmtpServer smtp = FaultySmtpServer.start();
    private final Fixtures fx = new Fixtures();
    private final CampaignRows rows = new CampaignRows(fx);
    private final JooqCampaignLifecycle lifecycle = new JooqCampaignLifecycle(fx.dsl);
    private final Redis redis = Redis.connect(new RedisConfig(TestServices.redisUrl(), "mrtest:"), 2000);
    private final RedisSignals signals = new RedisSignals(redis);

    @AfterEach
    void close() {
        redis.close();
        smtp.close();
    }

    @Test
    void pausing_mid_campaign_stops_before_the_next_message_returns_unsent_rows_and_quota_and_resume_completes() {
        long sender = fx.sender(smtp.port(), 100_000, 1_000_000);
        long campaign = slowCampaign(sender);
        try (Worker w = startedMidCampaign()) {
            lifecycle.apply(campaign, UserAction.PAUSE);
            signals.control(campaign, "pause");
            int atPause = smtp.received().size();

            await().atMost(Duration.ofSeconds(3)).until(() -> fx.count(campaign, "sending") == 0);
            int stoppedAt = smtp.received().size();
            assertThat(stoppedAt).as("only the messages in flight on each lane finish").isLessThanOrEqualTo(atPause + LANES);
            await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                    .until(() -> smtp.received().size() == stoppedAt);
            assertThat(fx.status(campaign)).isEqualTo("paused");
            assertThat(fx.count(campaign, "sent")).isEqualTo(stoppedAt);
            assertThat(fx.count(campaign, "pending")).as("unsent rows are pending again").isEqualTo(TOTAL - stoppedAt);
            assertThat(hourlyQuotaUsed(sender)).as("quota reserved for unsent rows was released").isEqualTo(stoppedAt);
            rows.assertCountersMatchRows(campaign);

            smtp.messageDelay(Duration.ZERO);
            lifecycle.apply(campaign, UserAction.RESUME);
            signals.wake(sender);
            assertThat(rows.awaitFinal(campaign, Duration.ofSeconds(15))).isEqualTo("sent");
        }
        assertThat(smtp.receivedCounts()).hasSize(TOTAL).allSatisfy((to, n) -> assertThat(n).as(to).isEqualTo(1));
        assertThat(hourlyQuotaUsed(sender)).isEqualTo(TOTAL);
        rows.assertCountersMatchRows(campaign);
    }

    @Test
    void cancelling_mid_campaign_stops_before_the_next_message_and_keeps_the_pending_rows() throws Exception {
        long sender = fx.sender(smtp.port(), 100_000, 1_000_000);
        long campaign = slowCampaign(sender);
        try (Worker w = startedMidCampaign()) {
            lifecycle.apply(campaign, UserAction.CANCEL);
            signals.control(campaign, "cancel");
            int atCancel = smtp.received().size();
            await().atMost(Duration.ofSeconds(3)).until(() -> fx.count(campaign, "sending") == 0);
            Thread.sleep(600);
            assertThat(smtp.received().size()).isLessThanOrEqualTo(atCancel + LANES);
        }
        int sent = fx.count(campaign, "sent");
        assertThat(fx.status(campaign)).isEqualTo("cancelled");
        assertThat(sent).isEqualTo(smtp.received().size());
        assertThat(fx.count(campaign, "pending")).as("kept for audit").isEqualTo(TOTAL - sent);
        assertThat(hourlyQuotaUsed(sender)).isEqualTo(sent);
        rows.assertCountersMatchRows(campaign);
    }

    @Test
    void pausing_after_the_hour_turned_gives_unsent_quota_back_to_the_hour_it_was_reserved_in() {
        Instant reservedIn = Instant.parse("2026-03-10T10:59:58Z");
        Instant nextHour = Instant.parse("2026-03-10T11:00:02Z");
        SettableClock clock = new SettableClock(reservedIn);
        smtp.messageDelay(Duration.ofMillis(100));
        long sender = fx.sender(smtp.port(), 100_000, 1_000_000);
        long campaign = fx.queuedCampaign(sender, TOTAL, "example.org");
        rows.batchSize(campaign, 10);
        var config = WorkerHarness.config("w1", Map.of("MAILROOM_WORKER_CONCURRENCY", Integer.toString(LANES)));
        try (Worker w = new Worker(config, clock, new SimpleMeterRegistry())) {
            w.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> smtp.received().size() >= 3);
            clock.set(nextHour);
            lifecycle.apply(campaign, UserAction.PAUSE);
            signals.control(campaign, "pause");
            await().atMost(Duration.ofSeconds(3)).until(() -> fx.count(campaign, "sending") == 0);
        }
        int sent = fx.count(campaign, "sent");
        assertThat(sent).isEqualTo(smtp.received().size()).isLessThan(TOTAL);
        assertThat(hourlyQuotaUsed(sender, reservedIn)).isEqualTo(sent);
        assertThat(hourlyQuotaUsed(sender, nextHour)).isZero();
    }

    private long hourlyQuotaUsed(long senderId) {
        return hourlyQuotaUsed(senderId, Instant.now());
    }

    private long hourlyQuotaUsed(long senderId, Instant at) {
        Sender s = new JooqSenderStore(fx.dsl).find(senderId).orElseThrow();
        return new RedisQuotaGate(redis, new JooqSendLedger(fx.dsl)).usage(s.quota(), at).hourUsed();
    }

    /** A campaign of TOTAL recipients in batches of 10 against an SMTP server slow enough to stop mid-batch. */
    private long slowCampaign(long sender) {
        smtp.messageDelay(Duration.ofMillis(100));
        long campaign = fx.queuedCampaign(sender, TOTAL, "example.org");
        rows.batchSize(campaign, 10);
        return campaign;
    }

    /** A worker with LANES connections, returned once the first messages went out. */
    private Worker startedMidCampaign() {
        Worker w = WorkerHarness.start("w1", Map.of("MAILROOM_WORKER_CONCURRENCY", Integer.toString(LANES)));
        await().atMost(Duration.ofSeconds(10)).until(() -> smtp.received().size() >= 3);
        return w;
    }
}
