package dev.mailroom.core.quota;

/** I6: what the month still allows, never above the configured limit. */
public final class MonthlyAvailability {
    private MonthlyAvailability() {}

    public static long available(int monthlyLimit, long usedThisMonth, Integer syncedRemaining, long sentSinceSync) {
        long byLimit = monthlyLimit - usedThisMonth;
        long available = syncedRemaining == null ? byLimit : Math.min(byLimit, syncedRemaining - sentSinceSync);
        return Math.max(0, available);
    }
}
