package dev.mailroom.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * I9 and its repairs: the reconciler (every 2 s in chaos) must find nothing to repair in a phase without
 * faults, and in a phase with faults only what one of its faults explains:
 * <ul>
 *   <li>{@code counters} (counters that disagreed with their rows) — never: no fault explains drift;</li>
 *   <li>{@code uncertain} (rows left sending in a campaign no longer processing) — a SIGKILL or a
 *       PostgreSQL restart cut a batch; at most one repair per such fault;</li>
 *   <li>{@code finished} and {@code dead_claim} (a processing row whose sender lock nobody holds) — a
 *       SIGKILL, a PostgreSQL restart (the claim could not be released) or a Redis flush (the lock vanished).</li>
 * </ul>
 * Every repair must also be in the log: the live workers' metric may not exceed the log lines. The one
 * repair that leaves a trace in the database ({@code uncertain}: a queue event "reconcile: …") is
 * reported beside them, for the whole run.
 */
final class ReconcileCheck {
    private ReconcileCheck() {}

    /** @param faults each phase's faults, by phase name; a phase without an entry had none */
    static Map<String, Object> check(Invariants inv, Sql sql, ReconcileRepairs repairs, Map<String, FaultLog> faults)
            throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uncertain_repairs_in_queue_events", sql.one("select count(*) from queue_event where detail like 'reconcile:%'"));
        List<String> names = repairs.phaseNames();
        for (int p = 0; p + 1 < names.size(); p++) {
            String phase = names.get(p);
            FaultLog f = faults.get(phase);
            Map<String, Object> counts = repairs.counts(p);
            @SuppressWarnings("unchecked") Map<String, Long> logged = (Map<String, Long>) counts.get("logged");
            @SuppressWarnings("unchecked") Map<String, Long> metric = (Map<String, Long>) counts.get("metric_live_workers");
            Set<String> explained = explained(f);
            int cuts = f == null ? 0 : f.count("kill_active") + f.count("kill_standby") + f.count("pg_restart");
            List<String> bad = new ArrayList<>();
            for (String k : ReconcileRepairs.KINDS) {
                if (logged.get(k) > 0 && !explained.contains(k)) bad.add(logged.get(k) + " " + k + " unexplained");
                if (metric.get(k) > logged.get(k)) bad.add(k + ": metric " + metric.get(k) + " > " + logged.get(k) + " logged");
            }
            if ((Integer) counts.get("workers_scraped") > 0 && (Long) counts.get("metric_present_on") == 0) {
                bad.add("mailroom_reconcile_fixes_total missing from every worker's /metrics");
            }
            if (logged.get("uncertain") > cuts) bad.add(logged.get("uncertain") + " uncertain repairs for " + cuts + " kills/restarts");
            String name = f == null ? "I9 reconciler repairs nothing in a healthy phase (" + phase + ")"
                    : "I9 reconciler repairs only what the faults explain (" + phase + ")";
            inv.add(name, bad.isEmpty(), "logged " + nonZero(logged) + "; metric of the live workers " + nonZero(metric)
                    + " (exported by " + counts.get("metric_present_on") + " of " + counts.get("workers_scraped") + " scraped)"
                    + (f == null ? "" : "; explained by its faults: " + explained)
                    + ((Long) counts.get("failed_passes") > 0 ? "; " + counts.get("failed_passes") + " passes failed" : "")
                    + (bad.isEmpty() ? "" : "; " + String.join(", ", bad)));
            counts.put("explained_kinds", explained);
            counts.put("ok", bad.isEmpty());
            out.put(phase, counts);
        }
        return out;
    }

    static Set<String> explained(FaultLog f) {
        Set<String> kinds = new LinkedHashSet<>();
        if (f == null) return kinds;
        int kills = f.count("kill_active") + f.count("kill_standby");
        if (kills + f.count("pg_restart") > 0) kinds.add("uncertain");
        if (kills + f.count("pg_restart") + f.count("redis_flush") > 0) {
            kinds.add("finished");
            kinds.add("dead_claim");
        }
        return kinds;
    }

    private static String nonZero(Map<String, Long> m) {
        Map<String, Long> nz = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v != 0) nz.put(k, v);
        });
        return nz.isEmpty() ? "none" : nz.toString();
    }
}
