package dev.mailroom.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Exact percentiles of a sample (nearest rank), in the sample's unit. */
final class Percentiles {
    private final long[] sorted;

    Percentiles(long[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    long at(double q) {
        if (sorted.length == 0) return -1;
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    long max() {
        return sorted.length == 0 ? -1 : sorted[sorted.length - 1];
    }

    /** p50, p99, max, scaled by {@code divisor} (e.g. 1e6 for ns → ms), rounded to 0.01. */
    Map<String, Object> summary(String unit, double divisor) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", sorted.length);
        m.put("p50_" + unit, round(at(0.50) / divisor));
        m.put("p99_" + unit, round(at(0.99) / divisor));
        m.put("max_" + unit, round(max() / divisor));
        return m;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
