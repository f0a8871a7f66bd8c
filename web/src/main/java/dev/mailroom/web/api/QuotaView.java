package dev.mailroom.web.api;

import dev.mailroom.core.quota.QuotaUsage;
import java.time.Instant;

/** {"hour": {used, limit, resets_at}, "month": {used, limit, available, resets_at}}. */
public record QuotaView(Hour hour, Month month) {
    public record Hour(long used, int limit, Instant resetsAt) {}

    public record Month(long used, int limit, long available, Instant resetsAt) {}

    public static QuotaView of(QuotaUsage u) {
        return new QuotaView(new Hour(u.hourUsed(), u.hourLimit(), u.hourResetsAt()),
                new Month(u.monthUsed(), u.monthLimit(), u.monthAvailable(), u.monthResetsAt()));
    }
}
