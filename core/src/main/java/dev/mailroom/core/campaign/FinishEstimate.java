package dev.mailroom.core.campaign;

import dev.mailroom.core.defer.SendWindow;
import dev.mailroom.core.quota.QuotaPeriods;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * When a campaign's remaining recipients may all have been sent: at a rate (messages per minute), never
 * more in a quota hour than the sender's hourly limit (what this hour already used counted), and only
 * while its send window is open. Stepped a minute at a time from {@code start}; further than a year out
 * is no estimate at all. {@code limitedBy} names what held it back most: the hourly limit, the window,
 * or neither (the rate).
 */
public record FinishEstimate(Instant at, Limit limitedBy) {

    public enum Limit {
        RATE, HOURLY_LIMIT, WINDOW;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Duration HORIZON = Duration.ofDays(366);

    /**
     * @param window     null: any time
     * @return null when nothing can be estimated (no rate, no room in any hour, beyond the horizon)
     */
    public static FinishEstimate of(long remaining, double perMinute, int hourlyLimit, long usedThisHour,
                                    SendWindow window, ZoneId quotaZone, Instant start) {
        if (remaining <= 0) return new FinishEstimate(start, Limit.RATE);
        if (perMinute <= 0 || hourlyLimit <= 0) return null;
        Instant end = start.plus(HORIZON);
        Instant t = start;
        double left = remaining;
        double used = usedThisHour;
        Instant hourEnd = QuotaPeriods.at(t, quotaZone).hourEnd();
        long waitedForHour = 0, waitedForWindow = 0;
        while (t.isBefore(end)) {
            if (!t.isBefore(hourEnd)) {
                used = 0;
                hourEnd = QuotaPeriods.at(t, quotaZone).hourEnd();
            }
            if (window != null && !window.isOpen(t)) {
                Instant open = window.nextOpen(t);
                waitedForWindow += Duration.between(t, open).toSeconds();
                t = open;
                continue;
            }
            double room = Math.min(perMinute, hourlyLimit - used);
            if (room <= 0) {
                waitedForHour += Duration.between(t, hourEnd).toSeconds();
                t = hourEnd;
                continue;
            }
            if (left <= room) {
                Instant at = t.plusMillis(Math.round(left / perMinute * 60_000));
                Limit by = waitedForHour == 0 && waitedForWindow == 0 ? Limit.RATE
                        : waitedForHour >= waitedForWindow ? Limit.HOURLY_LIMIT : Limit.WINDOW;
                return new FinishEstimate(at, by);
            }
            left -= room;
            used += room;
            t = t.plus(Duration.ofMinutes(1));
        }
        return null;
    }
}
