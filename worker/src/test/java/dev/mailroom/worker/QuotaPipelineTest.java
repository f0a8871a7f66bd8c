package dev.mailroom.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.db.postgres.JooqPollQueries;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** I5 through the real worker: quotas hold across a Redis wipe, and test emails share them. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class QuotaPipelineTest {
    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());

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
        assertThat(new JooqPollQueries(fx.dsl).headDeferral(sender))
                .contains(new JooqPollQueries.HeadDeferral("rate_hour", row.until()));
        assertThat(fx.counters(campaign)).isEqualTo(new int[] {30, 0, 50, 0, 0, 0, 80});
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
