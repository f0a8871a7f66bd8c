package dev.mailroom.worker;

import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.QUEUE_EVENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;

/** I11: building a worker does nothing; only the worker command runs the scheduler, and it says so. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class ExplicitStartTest {
    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();
    private final Fixtures fx = new Fixtures();
    private final CampaignRows rows = new CampaignRows(fx);

    /**
     * Seen to fail with I11 broken on purpose: with {@code loop.start()} moved from {@code Worker.start} into the
     * constructor, the idle worker's loop was listening for work (1 subscriber for 0).
     */
    @Test
    void I11_a_worker_that_was_constructed_but_not_started_claims_and_sends_nothing() {
        // No sleep stands in for "long enough": a started scheduler subscribes to the wake-up channel, so
        // its absence is checked directly (on a channel of this test's own, which no other run shares), and
        // a started worker then sends the campaign while the idle one sits beside it.
        String prefix = TestServices.redisPrefix() + "i11-" + System.nanoTime() + ":";
        Map<String, String> env = Map.of("MAILROOM_REDIS_PREFIX", prefix);
        long campaign = fx.queuedCampaign(fx.sender(smtp.port(), 1000, 10_000), 3, "example.org");
        try (Redis redis = Redis.connect(new RedisConfig(TestServices.redisUrl(), prefix), 30_000);
             Worker idle = new Worker(WorkerHarness.config("idle", env), Clock.systemUTC(), new SimpleMeterRegistry())) {
            RTopic wake = redis.client().getTopic(redis.keys().wakeChannel(), StringCodec.INSTANCE);
            assertThat(wake.countSubscribers()).as("nothing of the idle worker listens for work").isZero();
            assertThat(fx.status(campaign)).isEqualTo("queued");
            assertThat(rows.fence(campaign)).isZero();
            try (Worker started = WorkerHarness.start("started", env)) {
                assertThat(wake.countSubscribers()).as("a started worker does").isEqualTo(1);
                assertThat(rows.awaitFinal(campaign, Duration.ofSeconds(15))).isEqualTo("sent");
            }
        }
        assertThat(fx.dsl.fetchCount(DELIVERY_ATTEMPT, DELIVERY_ATTEMPT.WORKER_ID.eq("idle"))).isZero();
        assertThat(fx.dsl.fetchCount(DELIVERY_ATTEMPT)).isEqualTo(3);
        assertThat(fx.dsl.fetchCount(QUEUE_EVENT, QUEUE_EVENT.DETAIL.contains("idle"))).isZero();
        assertThat(smtp.received()).hasSize(3);
    }

    /**
     * Seen to fail with I11 broken on purpose: with the "starting: pid …" line of {@code WorkerMain.main} skipped,
     * the process output lacked its start context.
     */
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
