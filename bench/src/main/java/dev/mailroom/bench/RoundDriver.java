package dev.mailroom.bench;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Drives one chaos round: watches its campaign over SQL and injects the planned faults as it progresses. */
final class RoundDriver {
    private static final Logger log = LoggerFactory.getLogger(RoundDriver.class);

    private final HarnessEnv env;
    private final Sql sql;
    private final Random random;
    private final int timeoutSeconds;
    private final String pgCluster;

    RoundDriver(HarnessEnv env, Sql sql, Random random, int timeoutSeconds, String pgCluster) {
        this.env = env;
        this.sql = sql;
        this.random = random;
        this.timeoutSeconds = timeoutSeconds;
        this.pgCluster = pgCluster;
    }

    /**
     * Injects the planned faults at evenly spaced points of the campaign's progress (of {@code expected}
     * messages), each once the previous one was recovered from, until the campaign is final, or — for a
     * quota round — deferred with nothing in flight. Bounded by the round's timeout.
     */
    boolean drive(long campaign, RecordingSink sink, Fleet fleet, FaultLog faults, List<String> plan, long expected,
                          boolean untilDeferred) throws Exception {
        FaultInjector inject = new FaultInjector(env, fleet, sql, random, campaign, pgCluster);
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        int next = 0;
        long lastLog = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            faults.observe(sink.count());
            Map<String, Object> c;
            try {
                c = sql.row("select q.status, q.defer_reason, c.pending, c.sending, c.sent + c.failed + c.uncertain as done "
                        + "from campaign c join campaign_queue q on q.campaign_id = c.id where c.id = ?", campaign);
            } catch (IllegalStateException e) {
                continue; // PostgreSQL is restarting
            }
            String status = (String) c.get("status");
            long done = ((Number) c.get("done")).longValue();
            if (next < plan.size() && faults.allRecovered() && done >= expected * (next + 1) / (plan.size() + 1)) {
                inject.inject(plan.get(next++), faults, sink.count());
            }
            if (System.nanoTime() - lastLog > 5_000_000_000L) {
                lastLog = System.nanoTime();
                log.info("{} s: {} {} done, sink {}, faults {}/{}", Math.round(faults.now()), status, done, sink.count(), next, plan.size());
            }
            boolean quiet = ((Number) c.get("sending")).longValue() == 0;
            boolean fin = status.equals("sent") || status.equals("completed_with_errors");
            if (fin && next < plan.size()) {
                log.warn("the campaign finished before fault {} of {} could be injected", next + 1, plan.size());
                return true;
            }
            if (next == plan.size() && faults.allRecovered()) {
                if (!untilDeferred && fin) return true;
                if (untilDeferred && "deferred".equals(status) && "rate_hour".equals(c.get("defer_reason")) && quiet) return true;
                if (untilDeferred && fin) return true; // an hour boundary passed meanwhile: the per-hour check still holds
            }
        }
        return false;
    }
}
