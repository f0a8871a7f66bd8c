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
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pause and cancel reach a running campaign before its next message, the way the web tier sends them:
 * the status committed in PostgreSQL, then the Redis signal. Nothing here waits for wall-clock time to
 * decide: the worker's own "status" event says it let the campaign go (published only after every lane
 * returned), and its later work (another campaign of the same sender, served to the end) shows nothing
 * more of the stopped one is sent. Quota is read in the hour of the worker's settable clock.
 *
 * <p>A bound like "at most the count when we paused + one per lane" is not asserted: the code promises one
 * in-flight message per lane from the moment the worker sees the signal, and how long the signal takes to
 * cross Redis is not the worker's to promise. What is asserted is that the pause cut the one large batch
 * short (its remaining ~5 s of messages leave ample room for the signal), and that from the acknowledgement
 * on, the SMTP server's count, the recorded rows, the batch events and the quota all agree and stay put.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class PauseAndCancelTest {
    /** One batch of 100 at 100 ms a message on two lanes: about 5 s from first to last message. */
    private static final int TOTAL = 100;
    private static final int LANES = 2;
    private static final int LATER = 3;
    private static final Instant NOW = Instant.parse("2026-03-10T10:20:00Z");

    private final FaultySmtpServer smtp = FaultySmtpServer.start();
    private final Fixtures fx = new Fixtures();
    private final CampaignRows rows = new CampaignRows(fx);
    private final JooqCampaignLifecycle lifecycle = new JooqCampaignLifecycle(fx.dsl);
    private final Redis redis = Redis.connect(new RedisConfig(TestServices.redisUrl(), TestServices.redisPrefix()), 30_000);
    private final RedisSignals signals = new RedisSignals(redis);
    private final SettableClock clock = new SettableClock(NOW);

    @AfterEach
    void close() {
        redis.close();
        smtp.close();
    }

    @Test
    void pausing_mid_batch_stops_before_the_batch_ends_returns_unsent_rows_and_quota_and_resume_completes() {
        long sender = fx.sender(smtp.port(), 100_000, 1_000_000);
        long campaign = slowCampaign(sender);
        try (CampaignEvents events = CampaignEvents.follow(redis, campaign); Worker w = startedMidCampaign()) {
            userMoves(campaign, UserAction.PAUSE, "pause");
            events.awaitStatus("paused", Duration.ofSeconds(20));
            int stoppedAt = receivedAt("example.org");
            assertThat(stoppedAt).as("the pause cut the batch short").isLessThan(TOTAL);
            assertThat(fx.status(campaign)).isEqualTo("paused");
            assertThat(fx.count(campaign, "sent")).isEqualTo(stoppedAt);
            assertThat(events.sentInBatches()).as("what the worker recorded is what left").isEqualTo(stoppedAt);
            assertThat(fx.count(campaign, "sending")).isZero();
            assertThat(fx.count(campaign, "pending")).as("unsent rows are pending again").isEqualTo(TOTAL - stoppedAt);
            assertThat(hourlyQuotaUsed(sender)).as("quota reserved for unsent rows was released").isEqualTo(stoppedAt);
            rows.assertCountersMatchRows(campaign);

            servesAnotherCampaignToItsEnd(sender);
            assertThat(receivedAt("example.org")).as("nothing more of the paused campaign went out").isEqualTo(stoppedAt);
            assertThat(fx.count(campaign, "sent")).isEqualTo(stoppedAt);

            smtp.messageDelay(Duration.ZERO);
            lifecycle.apply(campaign, UserAction.RESUME);
            signals.wake(sender);
            assertThat(rows.awaitFinal(campaign, Duration.ofSeconds(30))).isEqualTo("sent");
        }
        assertThat(smtp.receivedCounts()).hasSize(TOTAL + LATER).allSatisfy((to, n) -> assertThat(n).as(to).isEqualTo(1));
        assertThat(hourlyQuotaUsed(sender)).isEqualTo(TOTAL + LATER);
        rows.assertCountersMatchRows(campaign);
    }

    @Test
    void cancelling_mid_batch_stops_before_the_batch_ends_and_keeps_the_pending_rows() {
        long sender = fx.sender(smtp.port(), 100_000, 1_000_000);
        long campaign = slowCampaign(sender);
        int stoppedAt;
        try (CampaignEvents events = CampaignEvents.follow(redis, campaign); Worker w = startedMidCampaign()) {
            userMoves(campaign, UserAction.CANCEL, "cancel");
            events.awaitStatus("cancelled", Duration.ofSeconds(20));
            stoppedAt = receivedAt("example.org");
            assertThat(stoppedAt).as("the cancel cut the batch short").isLessThan(TOTAL);
            assertThat(events.sentInBatches()).isEqualTo(stoppedAt);

            servesAnotherCampaignToItsEnd(sender);
            assertThat(receivedAt("example.org")).as("nothing more of the cancelled campaign went out").isEqualTo(stoppedAt);
        }
        assertThat(fx.status(campaign)).isEqualTo("cancelled");
        assertThat(fx.count(campaign, "sent")).isEqualTo(stoppedAt);
        assertThat(fx.count(campaign, "sending")).isZero();
        assertThat(fx.count(campaign, "pending")).as("kept for audit").isEqualTo(TOTAL - stoppedAt);
        assertThat(hourlyQuotaUsed(sender)).isEqualTo(stoppedAt + LATER);
        assertThat(smtp.receivedCounts()).allSatisfy((to, n) -> assertThat(n).as(to).isEqualTo(1));
        rows.assertCountersMatchRows(campaign);
    }

    @Test
    void pausing_after_the_hour_turned_gives_unsent_quota_back_to_the_hour_it_was_reserved_in() {
        Instant reservedIn = Instant.parse("2026-03-10T10:59:58Z");
        Instant nextHour = Instant.parse("2026-03-10T11:00:02Z");
        clock.set(reservedIn);
        long sender = fx.sender(smtp.port(), 100_000, 1_000_000);
        long campaign = slowCampaign(sender);
        try (CampaignEvents events = CampaignEvents.follow(redis, campaign); Worker w = startedMidCampaign()) {
            clock.set(nextHour);
            userMoves(campaign, UserAction.PAUSE, "pause");
            events.awaitStatus("paused", Duration.ofSeconds(20));
        }
        int sent = fx.count(campaign, "sent");
        assertThat(sent).isEqualTo(smtp.received().size()).isLessThan(TOTAL);
        assertThat(hourlyQuotaUsed(sender, reservedIn)).isEqualTo(sent);
        assertThat(hourlyQuotaUsed(sender, nextHour)).isZero();
    }

    /** What the web tier does: the move committed first, then the signal to the worker sending it. */
    private void userMoves(long campaign, UserAction action, String signal) {
        lifecycle.apply(campaign, action);
        signals.control(campaign, signal);
    }

    /** The worker keeps working for the sender: a later campaign is claimed, sent and finished. */
    private void servesAnotherCampaignToItsEnd(long sender) {
        long later = fx.queuedCampaign(sender, LATER, "later.example.org");
        signals.wake(sender);
        assertThat(rows.awaitFinal(later, Duration.ofSeconds(20))).isEqualTo("sent");
        assertThat(receivedAt("later.example.org")).isEqualTo(LATER);
    }

    private int receivedAt(String domain) {
        return (int) smtp.received().stream().filter(m -> m.recipient().endsWith("@" + domain)).count();
    }

    private long hourlyQuotaUsed(long senderId) {
        return hourlyQuotaUsed(senderId, clock.instant());
    }

    private long hourlyQuotaUsed(long senderId, Instant at) {
        Sender s = new JooqSenderStore(fx.dsl).find(senderId).orElseThrow();
        return new RedisQuotaGate(redis, new JooqSendLedger(fx.dsl)).usage(s.quota(), at).hourUsed();
    }

    /** A campaign of TOTAL recipients in one batch against an SMTP server slow enough to stop it mid-batch. */
    private long slowCampaign(long sender) {
        smtp.messageDelay(Duration.ofMillis(100));
        long campaign = fx.queuedCampaign(sender, TOTAL, "example.org");
        rows.batchSize(campaign, TOTAL);
        return campaign;
    }

    /** A worker with LANES connections on the test's clock, returned once the first messages went out. */
    private Worker startedMidCampaign() {
        Worker w = WorkerHarness.start("w1", Map.of("MAILROOM_WORKER_CONCURRENCY", Integer.toString(LANES)), clock);
        await().atMost(Duration.ofSeconds(10)).until(() -> smtp.received().size() >= 3);
        return w;
    }
}
