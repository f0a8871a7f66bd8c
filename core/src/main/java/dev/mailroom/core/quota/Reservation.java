package dev.mailroom.core.quota;

import dev.mailroom.core.defer.DeferReason;
import java.time.Instant;

/**
 * What a quota reservation granted. When fewer than asked were granted, {@code limitedBy} says which
 * limit stopped it ({@code RATE_HOUR} or {@code QUOTA_MONTH}) and {@code retryAt} when it resets.
 * {@code generation} names the life of the counters it was taken from: what is given back goes only to
 * that life (counters rebuilt since then were counted without it).
 */
public record Reservation(int granted, DeferReason limitedBy, Instant retryAt, String generation) {
    public static Reservation all(int n, String generation) {
        return new Reservation(n, null, null, generation);
    }

    public boolean isLimited() {
        return limitedBy != null;
    }
}
