package dev.mailroom.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The faults injected in a round and how long the system took to recover from each: from the fault to
 * the first {@link #PROGRESS} new messages at the sink after it (or the round's end).
 */
final class FaultLog {
    static final int PROGRESS = 20;

    static final class Fault {
        final String kind;
        final String detail;
        final double atSeconds;
        final long sinkAt;
        Double recoverySeconds;

        Fault(String kind, String detail, double atSeconds, long sinkAt) {
            this.kind = kind;
            this.detail = detail;
            this.atSeconds = atSeconds;
            this.sinkAt = sinkAt;
        }
    }

    private final List<Fault> faults = new ArrayList<>();
    private final long start = System.nanoTime();

    double now() {
        return (System.nanoTime() - start) / 1e9;
    }

    void add(String kind, String detail, long sinkCount) {
        faults.add(new Fault(kind, detail, now(), sinkCount));
    }

    /** Marks the open faults recovered once the sink moved on by {@link #PROGRESS} messages. */
    void observe(long sinkCount) {
        for (Fault f : faults) {
            if (f.recoverySeconds == null && sinkCount >= f.sinkAt + PROGRESS) f.recoverySeconds = now() - f.atSeconds;
        }
    }

    boolean allRecovered() {
        return faults.stream().allMatch(f -> f.recoverySeconds != null);
    }

    /** At the round's end: what never saw progress after it is recovered "by the end" (nothing was left to send). */
    void closeRound(boolean finished) {
        for (Fault f : faults) {
            if (f.recoverySeconds == null && finished) f.recoverySeconds = now() - f.atSeconds;
        }
    }

    int count(String kind) {
        return (int) faults.stream().filter(f -> f.kind.equals(kind)).count();
    }

    List<Map<String, Object>> toJson() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Fault f : faults) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fault", f.kind);
            m.put("detail", f.detail);
            m.put("at_s", Percentiles.round(f.atSeconds));
            m.put("recovery_s", f.recoverySeconds == null ? null : Percentiles.round(f.recoverySeconds));
            out.add(m);
        }
        return out;
    }

    Map<String, Object> recoverySummary() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String kind : List.of("kill_active", "kill_standby", "redis_flush", "pg_restart", "redis_failover")) {
            double max = faults.stream().filter(f -> f.kind.equals(kind) && f.recoverySeconds != null)
                    .mapToDouble(f -> f.recoverySeconds).max().orElse(-1);
            if (max >= 0) m.put(kind + "_max_s", Percentiles.round(max));
        }
        return m;
    }
}
