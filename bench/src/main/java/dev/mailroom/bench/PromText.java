package dev.mailroom.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Just enough of the Prometheus text format to read gauges and one histogram from a scrape. */
final class PromText {
    private final List<String> lines;

    PromText(String text) {
        this.lines = text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    }

    /** The sum of every series of {@code name} whose labels contain {@code labelPart} (e.g. {@code area="heap"}). */
    double sum(String name, String labelPart) {
        double total = 0;
        for (String l : lines) {
            if (!seriesOf(l, name)) continue;
            if (labelPart != null && !l.contains(labelPart)) continue;
            total += value(l);
        }
        return total;
    }

    /** Cumulative bucket counts of histogram {@code name} (without _bucket), by upper bound in seconds. */
    TreeMap<Double, Double> buckets(String name) {
        TreeMap<Double, Double> b = new TreeMap<>();
        for (String l : lines) {
            if (!seriesOf(l, name + "_bucket")) continue;
            int le = l.indexOf("le=\"");
            if (le < 0) continue;
            String bound = l.substring(le + 4, l.indexOf('"', le + 4));
            b.merge("+Inf".equals(bound) ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), value(l), Double::sum);
        }
        return b;
    }

    /** The q-quantile of a cumulative histogram, interpolated linearly inside its bucket; NaN when empty. */
    static double quantile(TreeMap<Double, Double> buckets, double q) {
        if (buckets.isEmpty()) return Double.NaN;
        double total = buckets.lastEntry().getValue();
        if (total <= 0) return Double.NaN;
        double rank = q * total;
        double prevBound = 0;
        double prevCount = 0;
        List<Double> bounds = new ArrayList<>(buckets.keySet());
        for (double bound : bounds) {
            double count = buckets.get(bound);
            if (count >= rank) {
                if (Double.isInfinite(bound)) return prevBound;
                double inBucket = count - prevCount;
                return inBucket <= 0 ? bound : prevBound + (bound - prevBound) * (rank - prevCount) / inBucket;
            }
            prevBound = bound;
            prevCount = count;
        }
        return prevBound;
    }

    private static boolean seriesOf(String line, String name) {
        return line.startsWith(name) && line.length() > name.length()
                && (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ');
    }

    private static double value(String line) {
        int start = line.indexOf('{') >= 0 ? line.lastIndexOf('}') + 1 : line.indexOf(' ');
        String[] parts = line.substring(Math.max(0, start)).trim().split("\\s+");
        try {
            return Double.parseDouble(parts[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
