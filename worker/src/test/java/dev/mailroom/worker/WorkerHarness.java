package dev.mailroom.worker;

import dev.mailroom.testkit.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;

/** In-process workers pointed at the test services. */
public final class WorkerHarness {
    private WorkerHarness() {}

    public static WorkerConfig config(String id, Map<String, String> extra) {
        var env = new java.util.HashMap<>(TestServices.mainEnvironment(Map.of(
                "MAILROOM_WORKER_ID", id, "MAILROOM_SCAN_INTERVAL_MS", "200", "MAILROOM_LOCK_LEASE_MS", "2000",
                "MAILROOM_SMTP_TIMEOUT_MS", "5000")));
        env.putAll(extra);
        return WorkerConfig.fromEnvironment(env);
    }

    public static Worker start(String id) {
        return start(id, Map.of());
    }

    public static Worker start(String id, Map<String, String> extra) {
        Worker w = new Worker(config(id, extra), Clock.systemUTC(), new SimpleMeterRegistry());
        w.start();
        return w;
    }
}
