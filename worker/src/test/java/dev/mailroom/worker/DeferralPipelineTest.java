package dev.mailroom.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** I3 and I12 through the real worker: every wait is recorded, and no wait blocks the sender's queue. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class DeferralPipelineTest {
    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());

    private final Fixtures fx = new Fixtures();
    private final QueueFixtures q = new QueueFixtures(fx);

    @Test
    void I3_a_closed_window_defers_the_processing_campaign_outside_hours_until_its_next_start_in_the_senders_zone() {
        // Friday 14 June 2024, 18:00 in New York; the window is 09:00-17:00 New York time, Monday to Friday.
        SettableClock clock = new SettableClock(Instant.parse("2024-06-14T22:00:00Z"));
        long sender = fx.sender(smtp.getSmtp().getPort(), 1_000, 100_000);
        q.window(sender, "09:00", "17:00", "America/New_York", "1,2,3,4,5");
        long campaign = fx.queuedCampaign(sender, 5, "example.org");
        try (Worker w = QueueFixtures.startWorker("w1", Map.of(), clock)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "deferred".equals(fx.status(campaign)));
            assertThat(q.queueRow(campaign)).isEqualTo(new QueueFixtures.QueueRow("deferred", "outside_hours",
                    Instant.parse("2024-06-17T13:00:00Z"))); // Monday 09:00 EDT
            assertThat(q.history(campaign)).containsExactly("processing", "deferred");
            assertThat(smtp.getReceivedMessages()).isEmpty();

            clock.set(Instant.parse("2024-06-17T13:00:01Z"));
            await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(fx.status(campaign)));
        }
        assertThat(smtp.getReceivedMessages()).hasSize(5);
    }

    @Test
    void I3_a_disabled_sender_defers_its_campaign_and_test_emails_smtp_disabled() {
        long sender = fx.sender(smtp.getSmtp().getPort(), 1_000, 100_000);
        q.disable(sender);
        long campaign = fx.queuedCampaign(sender, 3, "example.org");
        long test = q.testEmail(sender, "ops@example.com");
        Instant before = Instant.now();
        try (Worker w = WorkerHarness.start("w1")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "deferred".equals(fx.status(campaign))
                    && "deferred".equals(q.testEmailRow(test).status()));
        }
        var row = q.queueRow(campaign);
        assertThat(row.reason()).isEqualTo("smtp_disabled");
        assertThat(row.until()).isCloseTo(before.plus(Duration.ofMinutes(5)), within(30, ChronoUnit.SECONDS));
        assertThat(q.testEmailRow(test).reason()).isEqualTo("smtp_disabled");
        assertThat(q.testEmailRow(test).until()).isAfter(before);
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void I12_a_deferred_campaign_does_not_hold_back_the_next_ready_one_and_resumes_by_itself_when_due() {
        long sender = fx.sender(smtp.getSmtp().getPort(), 1_000, 100_000);
        long waiting = fx.queuedCampaign(sender, 3, "a.example.org");
        OffsetDateTime retryAt = OffsetDateTime.now().plusSeconds(4).truncatedTo(ChronoUnit.MILLIS);
        q.retryAt(waiting, retryAt); // every recipient of the older campaign waits for a retry
        long ready = fx.queuedCampaign(sender, 3, "b.example.org");
        try (Worker w = WorkerHarness.start("w1")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(fx.status(ready)));
            assertThat(q.queueRow(waiting)).isEqualTo(
                    new QueueFixtures.QueueRow("deferred", "transient_error", retryAt.toInstant()));
            assertThat(smtp.getReceivedMessages()).hasSize(3);

            await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(fx.status(waiting)));
        }
        assertThat(smtp.getReceivedMessages()).hasSize(6);
    }
}
