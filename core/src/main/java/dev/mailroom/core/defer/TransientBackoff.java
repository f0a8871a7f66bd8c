package dev.mailroom.core.defer;

import java.time.Duration;

/** Backoff for transient SMTP trouble: 5 minutes first, doubling, at most 2 hours. */
public final class TransientBackoff {
    private static final Duration FIRST = Duration.ofMinutes(5);
    private static final Duration MAX = Duration.ofHours(2);

    private TransientBackoff() {}

    /** @param consecutive how many transient deferrals in a row, 1 for the first */
    public static Duration after(int consecutive) {
        int shift = Math.max(0, Math.min(consecutive - 1, 10));
        Duration d = FIRST.multipliedBy(1L << shift);
        return d.compareTo(MAX) > 0 ? MAX : d;
    }
}
