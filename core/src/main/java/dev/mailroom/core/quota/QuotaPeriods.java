package dev.mailroom.core.quota;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/** The hour and month a quota counts in, in the sender's quota time zone. */
public record QuotaPeriods(Instant hourStart, Instant hourEnd, Instant monthStart, Instant monthEnd) {

    public static QuotaPeriods at(Instant now, ZoneId zone) {
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime hour = local.truncatedTo(ChronoUnit.HOURS);
        ZonedDateTime month = local.toLocalDate().withDayOfMonth(1).atStartOfDay(zone);
        return new QuotaPeriods(hour.toInstant(), hour.plusHours(1).toInstant(),
                month.toInstant(), month.plusMonths(1).toInstant());
    }

    /** Key suffixes, stable for the period whatever the clock reads inside it. */
    public String hourKey() {
        return Long.toString(hourStart.getEpochSecond() / 3600);
    }

    public String monthKey() {
        return Long.toString(monthStart.getEpochSecond());
    }
}
