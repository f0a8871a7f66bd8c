package dev.mailroom.worker;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.campaign.UserAction;
import dev.mailroom.db.postgres.JooqCampaignAdminStore;
import dev.mailroom.db.postgres.JooqCampaignLifecycle;
import dev.mailroom.db.postgres.NewCampaign;
import dev.mailroom.db.postgres.NewRecipient;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** send_at: a campaign queued before its time waits deferred ('scheduled'), and holds back no other (I3, I12). */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class ScheduledSendTest {
    private final Fixtures fx = new Fixtures();
    private final CampaignRows rows = new CampaignRows(fx);
    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();

    @Test
    void I3_nothing_is_sent_before_send_at_and_the_campaign_goes_out_once_the_clock_reaches_it() {
        SettableClock clock = new SettableClock(Instant.now());
        long sender = fx.sender(smtp.port(), 1000, 10_000);
        Instant sendAt = clock.instant().plus(Duration.ofHours(1));
        long scheduled = new JooqCampaignAdminStore(fx.dsl).create(
                new NewCampaign("later", sender, "Hello", null, "Hi", sendAt),
                List.of(new NewRecipient(1, "later1@example.org", "L", null),
                        new NewRecipient(2, "later2@example.org", "L", null)).iterator()).id();
        var moved = new JooqCampaignLifecycle(fx.dsl, clock).apply(scheduled, UserAction.QUEUE);
        assertThat(moved.status()).isEqualTo(CampaignStatus.DEFERRED);
        long now = fx.queuedCampaign(sender, List.of("now@example.org"));

        try (Worker w = WorkerHarness.start("w1", Map.of(), clock)) {
            assertThat(rows.awaitFinal(now, Duration.ofSeconds(15))).as("a scheduled campaign holds back no other")
                    .isEqualTo("sent");
            Thread.sleep(1500); // some seven scans of the worker, every 200 ms
            assertThat(fx.status(scheduled)).isEqualTo("deferred");
            assertThat(fx.dsl.select(CAMPAIGN_QUEUE.DEFER_REASON).from(CAMPAIGN_QUEUE)
                    .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(scheduled)).fetchOne(CAMPAIGN_QUEUE.DEFER_REASON))
                    .isEqualTo("scheduled");
            assertThat(fx.dsl.fetchCount(DELIVERY_ATTEMPT, DELIVERY_ATTEMPT.CAMPAIGN_ID.eq(scheduled))).isZero();
            assertThat(smtp.receivedBy("later1@example.org")).isZero();

            clock.advance(Duration.ofMinutes(61));
            assertThat(rows.awaitFinal(scheduled, Duration.ofSeconds(15))).isEqualTo("sent");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(smtp.receivedCounts()).hasSize(3).allSatisfy((to, n) -> assertThat(n).isEqualTo(1));
        rows.assertCountersMatchRows(scheduled);
    }
}
