package dev.mailroom.worker;

import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** I11: building a worker does nothing; only the worker command runs the scheduler, and it says so. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class ExplicitStartTest {
    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();
    private final Fixtures fx = new Fixtures();
    private final CampaignRows rows = new CampaignRows(fx);

    @Test
    void I11_a_worker_that_was_constructed_but_not_started_claims_and_sends_nothing() throws Exception {
        long campaign = fx.queuedCampaign(fx.sender(smtp.port(), 1000, 10_000), 3, "example.org");
        try (Worker idle = new Worker(WorkerHarness.config("idle", Map.of()), Clock.systemUTC(), new SimpleMeterRegistry())) {
            Thread.sleep(2000);
            assertThat(fx.status(campaign)).isEqualTo("queued");
            assertThat(rows.fence(campaign)).isZero();
        }
        assertThat(fx.dsl.fetchCount(DELIVERY_ATTEMPT)).isZero();
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void I11_the_worker_command_logs_its_start_context_and_its_graceful_stop() throws Exception {
        try (WorkerProcess p = WorkerProcess.start(Map.of("MAILROOM_WORKER_ID", "i11-proc",
                "MAILROOM_WORKER_CONCURRENCY", "3", "MAILROOM_SCAN_INTERVAL_MS", "200"))) {
            await().atMost(Duration.ofSeconds(20)).failFast("the worker process exited", () -> !p.isAlive())
                    .until(() -> p.output().contains("worker i11-proc started"));
            assertThat(p.output()).as(p.output()).contains("worker i11-proc starting: pid " + p.pid() + ", concurrency 3");
            assertThat(p.stop()).isIn(0, 143);
            assertThat(p.output()).contains("worker i11-proc stopping");
        }
    }
}
