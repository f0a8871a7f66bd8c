package dev.mailroom.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.db.postgres.JooqPollQueries;
import dev.mailroom.db.postgres.JooqSendLedger;
import dev.mailroom.db.postgres.JooqSenderStore;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.db.redis.RedisQuotaGate;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.SettableClock;
import dev.mailroom.testkit.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * I5 and I6 through the real worker: quotas hold across a Redis wipe, test emails share them, and the
 * month ends where the provider's own figure says.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class QuotaPipelineTest {
    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());

    /** Deferred, or ran to the end: whichever comes, the campaign stopped sending. */
    private static final Set<String> STOPPED = Set.of("deferred", "sent", "completed_with_errors");
    private static final Map<String, String> ONE_LANE = Map.of("MAILROOM_WORKER_CONCURRENCY", "1");
    /** The worker's clock: the quota hour is the one the test says, never one the wall clock turned into. */
    private final SettableClock clock = new SettableClock(Instant.parse("2024-06-12T10:20:00Z"));
    private final Fixtures fx = new Fixtures();
    private final QueueFixtures q = new QueueFixtures(fx);

    @Test
    void I5_a_redis_flush_in_the_middle_of_a_campaign_does_not_let_the_hour_exceed_its_limit() {
        ZoneId zone = ZoneId.of("UTC");
        long sender = fx.sender(smtp.getSmtp().getPort(), 60, 100_000);
        long campaign = fx.queuedCampaign(sender, 150, "example.org");
        q.pacing(campaign, 10, 25);
        int atFlush;
        try (Worker w = WorkerHarness.start("w1", ONE_LANE, clock)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessages().length >= 25);
            RedisExtension.flush(); // quota counters, the sender lock: all gone mid-campaign
            atFlush = smtp.getReceivedMessages().length;
            await().atMost(Duration.ofSeconds(30)).until(() -> "deferred".equals(fx.status(campaign)));
        } // closed: every message the worker handed to SMTP has been answered, so the count below is final
        assertThat(atFlush).as("the flush came before the hour was full").isLessThan(60);
        assertThat(smtp.getReceivedMessages()).hasSize(60);
        var row = q.queueRow(campaign);
        assertThat(row.reason()).isEqualTo("rate_hour");
        assertThat(row.until()).isEqualTo(QueueFixtures.topOfNextHour(clock.instant(), zone));
        assertThat(fx.count(campaign, "sent")).isEqualTo(60);
        assertThat(fx.counters(campaign)).isEqualTo(fx.recount(campaign));
    }

    @Test
    void I5_a_campaign_limited_to_50_per_hour_sends_50_then_defers_rate_hour_until_the_top_of_the_next_hour_in_the_quota_zone() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata"); // UTC+05:30: its hours turn at half past in UTC
        long sender = fx.sender(smtp.getSmtp().getPort(), 50, 100_000);
        q.quotaZone(sender, kolkata.getId());
        long campaign = fx.queuedCampaign(sender, 80, "example.org");
        q.pacing(campaign, 20, 0);
        try (Worker w = WorkerHarness.start("w1", Map.of(), clock)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> "deferred".equals(fx.status(campaign)));
        }
        assertThat(smtp.getReceivedMessages()).hasSize(50);
        var row = q.queueRow(campaign);
        assertThat(row.reason()).isEqualTo("rate_hour");
        assertThat(row.until()).isEqualTo(QueueFixtures.topOfNextHour(clock.instant(), kolkata));
        assertThat(row.until().atZone(ZoneId.of("UTC")).getMinute()).isEqualTo(30);
        // What ops see on the poll endpoint: why the sender's queue waits, and until when.
        assertThat(new JooqPollQueries(fx.dsl).senderPolls(sender).get(0).head())
                .isEqualTo(new JooqPollQueries.HeadDeferral("rate_hour", row.until()));
        assertThat(fx.counters(campaign)).isEqualTo(new int[] {30, 0, 50, 0, 0, 0, 80});
    }

    /**
     * Seen to fail with I6 broken on purpose: with the provider's figure left out of reserve_quota.lua (the
     * {@code month_room = math.min(month_room, synced - since_sync)} line removed), the worker sent all ten
     * and finished the campaign "sent".
     */
    @Test
    void I6_a_worker_defers_quota_month_once_the_providers_remaining_minus_local_sends_since_the_sync_is_used() {
        long sender = fx.sender(smtp.getSmtp().getPort(), 1_000, 100_000);
        // The provider reported 5 left an hour ago (what POST /api/senders/{id}/quota-sync stores); two go out
        // after that, so three remain, far below the configured monthly limit.
        new JooqSenderStore(fx.dsl).recordQuotaSync(sender, 5, clock.instant().minus(Duration.ofHours(1)));
        long first = fx.queuedCampaign(sender, 2, "first.example.org");
        long second;
        try (Worker w = WorkerHarness.start("w1", Map.of(), clock)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(fx.status(first)));
            second = fx.queuedCampaign(sender, 10, "second.example.org");
            await().atMost(Duration.ofSeconds(20)).until(() -> STOPPED.contains(fx.status(second)));
        }
        assertThat(q.queueRow(second)).isEqualTo(
                new QueueFixtures.QueueRow("deferred", "quota_month", Instant.parse("2024-07-01T00:00:00Z")));
        assertThat(smtp.getReceivedMessages()).hasSize(2 + 3);
        assertThat(fx.counters(second)).isEqualTo(new int[] {7, 0, 3, 0, 0, 0, 10});
        assertThat(monthAvailable(sender)).isZero();
    }

    /**
     * Seen to fail with the configured limit dropped from reserve_quota.lua on purpose (the month's room taken
     * from the provider's figure alone): all six went out and the campaign ended "sent".
     */
    @Test
    void I6_the_month_never_allows_more_than_the_configured_limit_whatever_the_provider_reports() {
        long sender = fx.sender(smtp.getSmtp().getPort(), 1_000, 4);
        new JooqSenderStore(fx.dsl).recordQuotaSync(sender, 1_000, clock.instant().minus(Duration.ofHours(1)));
        long campaign = fx.queuedCampaign(sender, 6, "example.org");
        try (Worker w = WorkerHarness.start("w1", Map.of(), clock)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> STOPPED.contains(fx.status(campaign)));
        }
        assertThat(fx.status(campaign)).isEqualTo("deferred");
        assertThat(q.queueRow(campaign).reason()).isEqualTo("quota_month");
        assertThat(smtp.getReceivedMessages()).hasSize(4);
        assertThat(monthAvailable(sender)).isZero();
    }

    private long monthAvailable(long senderId) {
        try (Redis redis = Redis.connect(new RedisConfig(TestServices.redisUrl(), TestServices.redisPrefix()), 30_000)) {
            var s = new JooqSenderStore(fx.dsl).find(senderId).orElseThrow();
            return new RedisQuotaGate(redis, new JooqSendLedger(fx.dsl)).usage(s.quota(), clock.instant()).monthAvailable();
        }
    }

    @Test
    void I5_test_emails_count_against_the_same_quota_and_one_refused_is_deferred_then_sent_when_room_returns() {
        long sender = fx.sender(smtp.getSmtp().getPort(), 3, 100_000);
        long first = q.testEmail(sender, "ops1@example.com");
        long second = q.testEmail(sender, "ops2@example.com");
        long campaign = fx.queuedCampaign(sender, 3, "example.org");
        try (Worker w = WorkerHarness.start("w1", Map.of(), clock)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "deferred".equals(fx.status(campaign)));
            assertThat(smtp.getReceivedMessages()).hasSize(3); // two test emails, one campaign message
            assertThat(q.testEmailRow(first).status()).isEqualTo("sent");
            assertThat(q.testEmailRow(second).status()).isEqualTo("sent");
            assertThat(q.queueRow(campaign)).isEqualTo(
                    new QueueFixtures.QueueRow("deferred", "rate_hour", Instant.parse("2024-06-12T11:00:00Z")));

            long refused = q.testEmail(sender, "ops3@example.com");
            await().atMost(Duration.ofSeconds(20)).until(() -> "deferred".equals(q.testEmailRow(refused).status()));
            assertThat(q.testEmailRow(refused)).isEqualTo(
                    new QueueFixtures.QueueRow("deferred", "rate_hour", Instant.parse("2024-06-12T11:00:00Z")));
            assertThat(smtp.getReceivedMessages()).hasSize(3);

            clock.set(Instant.parse("2024-06-12T11:00:05Z"));
            await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(q.testEmailRow(refused).status())
                    && "sent".equals(fx.status(campaign)));
        }
        assertThat(smtp.getReceivedMessages()).hasSize(6);
    }
}
