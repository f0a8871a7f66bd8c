package dev.mailroom.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.db.redis.Redis;
import dev.mailroom.core.config.RedisUrl;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.db.redis.RedisSignals;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.TcpProxy;
import dev.mailroom.testkit.TestServices;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Redis restart does not leave a worker deaf: its wake-up subscription comes back and its next batch goes
 * through. The restart is played by a {@link TcpProxy} between the worker and the shared Redis (refusing
 * connections for a second); the scan interval is ten minutes, so only a wake-up can start the work.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class RedisOutageTest {
    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();
    private final Fixtures fx = new Fixtures();
    private final CampaignRows rows = new CampaignRows(fx);

    @Test
    void after_redis_restarts_a_worker_hears_wake_ups_again_and_sends() throws Exception {
        String prefix = TestServices.redisPrefix() + "outage-" + System.nanoTime() + ":"; // channels of its own
        RedisConfig direct = new RedisConfig(TestServices.redisUrl(), prefix);
        long sender = fx.sender(smtp.port(), 1000, 10_000);
        RedisUrl.Node server = direct.where().first();
        try (TcpProxy proxy = TcpProxy.to(server.host(), server.port());
             Redis redis = Redis.connect(direct, 30_000);
             Worker worker = WorkerHarness.start("outage", Map.of(
                     "MAILROOM_REDIS_URL", "redis://127.0.0.1:" + proxy.port() + "/" + direct.where().database(),
                     "MAILROOM_REDIS_PREFIX", prefix, "MAILROOM_SCAN_INTERVAL_MS", "600000"))) {
            RedisSignals signals = new RedisSignals(redis);
            long before = fx.queuedCampaign(sender, 3, "example.org");
            signals.wake(sender);
            assertThat(rows.awaitFinal(before, Duration.ofSeconds(15))).isEqualTo("sent");

            proxy.down();
            Thread.sleep(1_000);
            proxy.up();

            long after = fx.queuedCampaign(sender, 3, "example.net");
            // Wake-ups published while the worker was reconnecting are lost (the scan would catch them): repeat.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
                signals.wake(sender);
                return !"queued".equals(fx.status(after));
            });
            assertThat(rows.awaitFinal(after, Duration.ofSeconds(15))).isEqualTo("sent");
        }
        assertThat(smtp.receivedCounts()).hasSize(6).allSatisfy((to, n) -> assertThat(n).as(to).isEqualTo(1L));
    }
}
