package dev.mailroom.core.quota;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A sender's limits. {@code syncedRemaining} is the provider's own count at {@code syncedAt} (I6),
 * null until the first sync. {@code testReservePerHour} of each hour's sends are kept for test emails
 * (0: none; always below {@code hourlyLimit} when set).
 */
public record SenderQuota(long senderId, int hourlyLimit, int monthlyLimit, ZoneId zone,
                          Integer syncedRemaining, Instant syncedAt, int testReservePerHour) {

    /** A sender that keeps nothing back for test emails. */
    public SenderQuota(long senderId, int hourlyLimit, int monthlyLimit, ZoneId zone, Integer syncedRemaining,
                       Instant syncedAt) {
        this(senderId, hourlyLimit, monthlyLimit, zone, syncedRemaining, syncedAt, 0);
    }

    /**
     * Where reservations for {@code use} stop in an hour: campaigns at the limit less the test reserve, test
     * emails at the limit itself. Never above the hourly limit, whatever the reserve says.
     */
    public int hourCeiling(QuotaUse use) {
        if (use == QuotaUse.TEST_EMAIL) return hourlyLimit;
        return Math.max(0, hourlyLimit - Math.max(0, testReservePerHour));
    }
}
