package dev.mailroom.core.sender;

import dev.mailroom.core.defer.SendWindow;
import dev.mailroom.core.quota.SenderQuota;
import java.time.Instant;
import java.time.ZoneId;

/** One SMTP account and one quota scope. {@code window} null means any time. */
public record Sender(long id, String name, String fromEmail, String fromName, SmtpSettings smtp,
                     int hourlyLimit, int monthlyLimit, ZoneId quotaZone, SendWindow window, boolean enabled,
                     Integer quotaRemaining, Instant quotaSyncedAt) {

    public SenderQuota quota() {
        return new SenderQuota(id, hourlyLimit, monthlyLimit, quotaZone, quotaRemaining, quotaSyncedAt);
    }
}
