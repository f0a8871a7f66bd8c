package dev.mailroom.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * I2, no claim ping-pong: a takeover (a worker claiming a {@code processing} row another claimed) should
 * follow only a fault that cut the claim holder off — a SIGKILL of the worker holding the claim, a Redis
 * flush (the sender lock vanished) or a PostgreSQL restart. Each may cost up to {@link #PER_FAULT}
 * takeovers, plus {@link #SLACK} for a kill of a standby that became the holder meanwhile. Two workers
 * that both believe they hold the lock take the campaign from each other again and again, each time
 * turning the other's in-flight batch uncertain: fencing keeps it safe, the bound keeps it cheap.
 */
final class TakeoverCheck {
    static final int PER_FAULT = 2;
    static final int SLACK = 2;

    private TakeoverCheck() {}

    static Map<String, Object> check(Invariants inv, Sql sql, String round, long campaign, FaultLog faults) {
        int disruptive = faults.count("kill_active") + faults.count("redis_flush") + faults.count("pg_restart");
        long bound = (long) PER_FAULT * disruptive + SLACK;
        long takeovers = sql.one("select count(*) from queue_event where campaign_id = ? and detail like 'taken over%'", campaign);
        long costly = sql.one("select count(*) from queue_event where campaign_id = ? and detail like 'taken over%became uncertain%'",
                campaign);
        inv.add("I2 no claim ping-pong (" + round + "): takeovers ≤ " + PER_FAULT + " × faults + " + SLACK, takeovers <= bound,
                takeovers + " takeovers for " + disruptive + " claim-cutting faults (bound " + bound + "); " + costly
                        + " of them turned in-flight recipients uncertain");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("takeovers", takeovers);
        out.put("turning_recipients_uncertain", costly);
        out.put("claim_cutting_faults", disruptive);
        out.put("bound", bound);
        return out;
    }
}
