package dev.mailroom.bench;

import java.util.Arrays;

/**
 * A monotonic count observed over time: (nanoTime, count) points, appended by one thread, read by others.
 * Points closer than 1 ms are merged, so a million-message run stays a few hundred thousand points.
 */
public final class Timeline {
    private long[] times = new long[4096];
    private long[] counts = new long[4096];
    private int size;

    public synchronized void record(long nanos, long count) {
        if (size > 0 && nanos - times[size - 1] < 1_000_000) {
            counts[size - 1] = count;
            return;
        }
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        times[size] = nanos;
        counts[size] = count;
        size++;
    }

    public synchronized long last() {
        return size == 0 ? 0 : counts[size - 1];
    }

    /** The points with {@code from <= count}, then up to the first reaching {@code to}: one run's window. */
    public synchronized Window window(long from, long to) {
        int a = -1;
        int b = -1;
        for (int i = 0; i < size; i++) {
            if (a < 0 && counts[i] > from) a = i;
            if (a >= 0) b = i;
            if (counts[i] >= to) break;
        }
        if (a < 0) return new Window(new long[0], new long[0]);
        return new Window(Arrays.copyOfRange(times, a, b + 1), Arrays.copyOfRange(counts, a, b + 1));
    }

    /** Points of one run, in order. */
    public record Window(long[] nanos, long[] counts) {
        public boolean isEmpty() {
            return nanos.length < 2;
        }

        /** Messages per second between the first and the last point seen. */
        public double rate() {
            if (isEmpty()) return 0;
            double s = (nanos[nanos.length - 1] - nanos[0]) / 1e9;
            return s <= 0 ? 0 : (counts[counts.length - 1] - counts[0]) / s;
        }

        public double seconds() {
            return isEmpty() ? 0 : (nanos[nanos.length - 1] - nanos[0]) / 1e9;
        }

        public long messages() {
            return isEmpty() ? 0 : counts[counts.length - 1] - counts[0];
        }

        /** Messages per second in consecutive buckets of {@code bucketSeconds}, from the first point. */
        public double[] perBucket(double bucketSeconds) {
            if (isEmpty()) return new double[0];
            long bucket = (long) (bucketSeconds * 1e9);
            int n = (int) ((nanos[nanos.length - 1] - nanos[0]) / bucket) + 1;
            double[] rate = new double[n];
            int j = 0;
            long prev = counts[0];
            for (int k = 1; k <= n; k++) {
                long end = nanos[0] + k * bucket;
                while (j + 1 < nanos.length && nanos[j + 1] <= end) j++;
                rate[k - 1] = (counts[j] - prev) / bucketSeconds;
                prev = counts[j];
            }
            return rate;
        }
    }
}
