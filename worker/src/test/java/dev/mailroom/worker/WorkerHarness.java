package dev.mailroom.worker;

import dev.mailroom.testkit.TestServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;

/**
 * In-process workers pointed at the test services. The sender-lock lease is long (30 s) so that a GC
 * or CPU stall of a busy test machine cannot look like a dead worker and fake a takeover; a test about
 * takeovers sets {@link #SHORT_LEASE} itself. The reconciler is off unless a test turns it on
 * ({@code MAILROOM_RECONCILE_INTERVAL_MS}): it repairs drifted counters, so left running it would hide
 * a drift bug from every test that checks them (I9).
 */
public final class WorkerHarness {
    /** For takeover and crash tests: a dead worker's lock expires this soon. */
    public static final Map<String, String> SHORT_LEASE = Map.of("MAILROOM_LOCK_LEASE_MS", "2000");
    static final String LONG_LEASE_MS = "30000";
    static final String RECONCILER_OFF_MS = Integer.toString(Integer.MAX_VALUE);

    private WorkerHarness() {}

    public static WorkerConfig config(String id, Map<String, String> extra) {
        var env = new java.util.HashMap<>(TestServices.mainEnvironment(Map.of(
                "MAILROOM_WORKER_ID", id, "MAILROOM_SCAN_INTERVAL_MS", "200", "MAILROOM_LOCK_LEASE_MS", LONG_LEASE_MS,
                "MAILROOM_SMTP_TIMEOUT_MS", "30000", "MAILROOM_RECONCILE_INTERVAL_MS", RECONCILER_OFF_MS)));
        env.putAll(extra);
        return WorkerConfig.fromEnvironment(env);
    }

    public static Worker start(String id) {
        return start(id, Map.of());
    }

    public static Worker start(String id, Map<String, String> extra) {
        return start(id, extra, Clock.systemUTC());
    }

    /** A started worker whose notion of now (windows, quota hours, retries, deferrals) is {@code clock}. */
    public static Worker start(String id, Map<String, String> extra, Clock clock) {
        Worker w = new Worker(config(id, extra), clock, new SimpleMeterRegistry());
        w.start();
        return w;
    }
}
