package dev.mailroom.core.defer;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.EnumSet;
import java.util.Set;

/**
 * The hours a sender may send in, in its own time zone. A window whose end is not after its start
 * spans midnight; {@code days} name the weekday a window opens on. Times falling into a DST gap
 * open at the first valid instant after it.
 */
public record SendWindow(LocalTime start, LocalTime end, ZoneId zone, Set<DayOfWeek> days) {

    public SendWindow {
        days = days == null || days.isEmpty() ? EnumSet.allOf(DayOfWeek.class) : EnumSet.copyOf(days);
    }

    public boolean isOpen(Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        // A window that opened yesterday may still be open (spanning midnight).
        for (LocalDate day : new LocalDate[] {today, today.minusDays(1)}) {
            if (!days.contains(day.getDayOfWeek())) continue;
            if (!now.isBefore(at(day, start)) && now.isBefore(closeOf(day))) return true;
        }
        return false;
    }

    /** {@code now} when open, else the next opening instant. */
    public Instant nextOpen(Instant now) {
        if (isOpen(now)) return now;
        LocalDate day = now.atZone(zone).toLocalDate();
        for (int i = 0; i <= 8; i++) {
            LocalDate d = day.plusDays(i);
            if (!days.contains(d.getDayOfWeek())) continue;
            Instant open = at(d, start);
            if (open.isAfter(now)) return open;
        }
        throw new IllegalStateException("send window never opens");
    }

    private Instant closeOf(LocalDate openDay) {
        return at(end.isAfter(start) ? openDay : openDay.plusDays(1), end);
    }

    /**
     * A local time in a DST gap resolves to the gap's end (java.time alone would shift it by the gap's
     * length: 02:30 would become 03:30); in an overlap, to its first occurrence.
     */
    private Instant at(LocalDate day, LocalTime time) {
        ZoneOffsetTransition gap = zone.getRules().getTransition(day.atTime(time));
        if (gap != null && gap.isGap()) return gap.getInstant();
        return day.atTime(time).atZone(zone).toInstant();
    }
}
