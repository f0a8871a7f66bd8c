package dev.mailroom.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A worker asked to stop (SIGTERM) leaves nothing it never tried uncertain (I7 stays honest). */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class GracefulStopTest {
    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();

    private final Fixtures fx = new Fixtures();
    private final QueueFixtures q = new QueueFixtures(fx);

    /**
     * Seen failing before: the lane slept out its minute-long pacing delay, the 30 s grace ran out, the
     * batch was never recorded and all ten recipients ended uncertain.
     */
    @Test
    void I7_a_stop_during_a_pacing_delay_ends_the_wait_and_the_untried_recipients_stay_pending() {
        long sender = fx.sender(smtp.port(), 1_000, 100_000);
        long campaign = fx.queuedCampaign(sender, 10, "example.org");
        q.pacing(campaign, 10, 60_000);
        Worker w = WorkerHarness.start("w1", Map.of("MAILROOM_WORKER_CONCURRENCY", "1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> smtp.received().size() == 1);

        long started = System.nanoTime();
        w.close();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("well inside the 30 s grace")
                .isLessThan(Duration.ofSeconds(20));
        assertThat(fx.count(campaign, "sent")).isEqualTo(1);
        assertThat(fx.count(campaign, "pending")).isEqualTo(9);
        assertThat(fx.count(campaign, "uncertain") + fx.count(campaign, "sending")).isZero();
        assertThat(fx.status(campaign)).as("handed back to the queue").isEqualTo("queued");
        assertThat(fx.counters(campaign)).isEqualTo(fx.recount(campaign));
    }
}
