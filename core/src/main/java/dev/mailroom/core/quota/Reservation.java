package dev.mailroom.core.quota;

import dev.mailroom.core.defer.DeferReason;
import java.time.Instant;

/**
 * What a quota reservation granted. When fewer than asked were granted, {@code limitedBy} says which
 * limit stopped it ({@code RATE_HOUR} or {@code QUOTA_MONTH}) and {@code retryAt} when it resets.
 */
public record Reservation(int granted, DeferReason limitedBy, Instant retryAt) {
    public static Reservation all(int n) {
        return new Reservation(n, null, null);
    }

    public boolean isLimited() {
        return limitedBy != null;
    }
}
