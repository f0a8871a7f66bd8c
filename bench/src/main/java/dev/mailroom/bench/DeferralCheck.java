package dev.mailroom.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * I3, every pause is recorded: at the end of the run every deferred queue row, and every deferral in the
 * queue history (one per campaign, reason and time: the notifications' source), has a
 * {@code defer_reason} and a {@code deferred_until}; and no queue row that is not deferred keeps a stale
 * reason (the poll endpoint would show it).
 */
final class DeferralCheck {
    private DeferralCheck() {}

    static Map<String, Object> check(Invariants inv, Sql sql) {
        Map<String, Object> q = sql.row("select count(*) filter (where status = 'deferred') as deferred, "
                + "count(*) filter (where status = 'deferred' and (defer_reason is null or deferred_until is null)) as unexplained, "
                + "count(*) filter (where status not in ('deferred', 'paused') and defer_reason is not null) as stale "
                + "from campaign_queue");
        Map<String, Object> e = sql.row("select count(*) as events, "
                + "count(*) filter (where defer_reason is null or deferred_until is null) as unexplained "
                + "from queue_event where status = 'deferred'");
        Map<String, Object> byReason = new LinkedHashMap<>();
        for (var r : sql.rows("select defer_reason, count(*) as n from queue_event where status = 'deferred' group by 1 order by 1")) {
            byReason.put(String.valueOf(r.get("defer_reason")), r.get("n"));
        }
        long bad = n(q, "unexplained") + n(e, "unexplained") + n(q, "stale");
        inv.add("I3 every deferral has a reason and a resume time", bad == 0,
                n(q, "deferred") + " deferred queue rows, " + n(e, "events") + " deferral events " + byReason + "; "
                        + (n(q, "unexplained") + n(e, "unexplained")) + " without reason or until, " + n(q, "stale")
                        + " rows not deferred with a stale reason");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deferred_rows", n(q, "deferred"));
        out.put("deferral_events_by_reason", byReason);
        out.put("without_reason_or_until", n(q, "unexplained") + n(e, "unexplained"));
        out.put("stale_reason_rows", n(q, "stale"));
        return out;
    }

    private static long n(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }
}
