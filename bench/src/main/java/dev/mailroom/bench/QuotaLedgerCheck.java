package dev.mailroom.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * I5/I17, no leaked quota: once a round is quiet, each of a sender's Redis quota counters (every hour
 * key, and the month) must equal what PostgreSQL says reached SMTP in that period — the attempts the
 * rebuild counts ({@code delivery_attempt} that kept its quota, I17: {@code sending}, {@code sent},
 * {@code uncertain}; by the hour and month of the reservation in the sender's quota zone). Allowed drift:
 * up to one batch too many per SIGKILL or PostgreSQL restart of the round (a worker dying between the
 * reservation and marking the batch {@code sending}, or failing to mark it because the database is gone,
 * keeps that batch's reservation until the counter expires). Never too few: counters rebuilt from
 * PostgreSQL (after a flush, or on a new master after a failover) start a new generation, and a reservation
 * of an older one given back does not lower them. A counter missing at the end (flushed with nothing
 * reserved since in that period) is reported, not compared.
 */
final class QuotaLedgerCheck {
    private final Sql sql;
    private final HarnessEnv env;

    QuotaLedgerCheck(Sql sql, HarnessEnv env) {
        this.sql = sql;
        this.env = env;
    }

    /** @param leakFaults kills + PostgreSQL restarts of the round; @param flushes Redis flushes and failovers of the round */
    Map<String, Object> check(Invariants inv, String round, long sender, int leakFaults, int flushes) throws IOException {
        Map<String, Object> s = sql.row("select quota_timezone, (select max(batch_size) from campaign where sender_id = ?) as batch "
                + "from sender where id = ?", sender, sender);
        String zone = (String) s.get("quota_timezone");
        int batch = ((Number) s.get("batch")).intValue();
        long over = (long) leakFaults * batch;
        String prefix = env.redisPrefix() + "quota:{s:" + sender + "}"; // RedisKeys.quotaHour/quotaMonth

        TreeMap<Long, Long> hours = ledger("hour", zone, sender, 3600);
        for (String key : RedisCommand.keys(env, prefix + ":h:*")) { // a counter for an hour without attempts
            hours.putIfAbsent(Long.parseLong(key.substring(key.lastIndexOf(':') + 1)), 0L);
        }
        List<String> bad = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Map<String, Object> perHour = new LinkedHashMap<>();
        long hourDrift = 0;
        for (var h : hours.entrySet()) {
            Long drift = compare(prefix + ":h:" + h.getKey(), h.getValue(), over, "hour " + h.getKey(), bad, missing);
            perHour.put(Long.toString(h.getKey()),
                    Map.of("attempts", h.getValue(), "counter_minus_attempts", drift == null ? "missing" : drift));
            if (drift != null) hourDrift += drift;
        }
        if (hourDrift > over || hourDrift < 0) bad.add("all hours together: " + signed(hourDrift));
        if (flushes == 0 && !missing.isEmpty()) bad.add("counters missing without a flush: " + missing);
        Long monthDrift = null;
        TreeMap<Long, Long> months = ledger("month", zone, sender, 1);
        for (String key : RedisCommand.keys(env, prefix + ":m:*")) { // e.g. reserved, then all given back (I17)
            months.putIfAbsent(Long.parseLong(key.substring(key.lastIndexOf(':') + 1)), 0L);
        }
        for (var m : months.entrySet()) {
            Long d = compare(prefix + ":m:" + m.getKey(), m.getValue(), over, "month " + m.getKey(), bad, missing);
            if (d != null) monthDrift = (monthDrift == null ? 0 : monthDrift) + d;
        }
        if (flushes == 0 && monthDrift == null && !hours.isEmpty()) bad.add("month counter missing without a flush");
        inv.add("I5 no leaked quota (" + round + "): Redis counters = attempts in PostgreSQL", bad.isEmpty(),
                "counter − attempts: hours " + signed(hourDrift) + ", month " + (monthDrift == null ? "missing" : signed(monthDrift))
                        + "; allowed 0..+" + over + " (batch " + batch + " × " + leakFaults + " kills/restarts)" + (missing.isEmpty() ? "" : "; not compared (flushed): " + missing)
                        + (bad.isEmpty() ? "" : "; out of bounds: " + bad));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("batch_size", batch);
        out.put("allowed", Map.of("min", 0, "max", over));
        out.put("hour_drift", hourDrift);
        out.put("month_drift", monthDrift);
        out.put("hours", perHour);
        return out;
    }

    /** Attempts that reached SMTP, by the period's key: epoch hours for "hour", epoch seconds of its start for "month". */
    private TreeMap<Long, Long> ledger(String unit, String zone, long sender, long divisor) {
        TreeMap<Long, Long> out = new TreeMap<>();
        for (var r : sql.rows("select extract(epoch from date_trunc('" + unit + "', attempted_at, ?))::int8 / ? as k, count(*) as n "
                + "from delivery_attempt where sender_id = ? and outcome in ('sending', 'sent', 'uncertain') group by 1", zone, divisor, sender)) {
            out.put(((Number) r.get("k")).longValue(), ((Number) r.get("n")).longValue());
        }
        return out;
    }

    private Long compare(String key, long attempts, long over, String what, List<String> bad, List<String> missing)
            throws IOException {
        String v = RedisCommand.get(env, key);
        if (v == null) {
            missing.add(what);
            return null;
        }
        long drift = Long.parseLong(v) - attempts;
        if (drift > over || drift < 0) bad.add(what + ": counter " + v + ", attempts " + attempts);
        return drift;
    }

    private static String signed(long n) {
        return n > 0 ? "+" + n : Long.toString(n);
    }
}
