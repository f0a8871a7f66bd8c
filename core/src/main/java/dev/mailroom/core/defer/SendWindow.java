package dev.mailroom.core.defer;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
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
        ZonedDateTime local = now.atZone(zone);
        // A window that opened yesterday may still be open (spanning midnight).
        for (LocalDate day : new LocalDate[] {local.toLocalDate(), local.toLocalDate().minusDays(1)}) {
            if (!days.contains(day.getDayOfWeek())) continue;
            ZonedDateTime open = ZonedDateTime.of(day, start, zone);
            ZonedDateTime close = closeOf(day);
            if (!now.isBefore(open.toInstant()) && now.isBefore(close.toInstant())) return true;
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
            Instant open = ZonedDateTime.of(d, start, zone).toInstant();
            if (open.isAfter(now)) return open;
        }
        throw new IllegalStateException("send window never opens");
    }

    private ZonedDateTime closeOf(LocalDate openDay) {
        LocalDate closeDay = end.isAfter(start) ? openDay : openDay.plusDays(1);
        return ZonedDateTime.of(closeDay, end, zone);
    }
}
