package dev.mailroom.core.sender;

import dev.mailroom.core.defer.SendWindow;
import dev.mailroom.core.quota.SenderQuota;
import java.time.Instant;
import java.time.ZoneId;

/**
 * One SMTP account and one quota scope. {@code window} null means any time. {@code lastError} says why
 * the relay refused it last (null once it accepts mail again); only the worker writes it.
 */
public record Sender(long id, String name, String fromEmail, String fromName, SmtpSettings smtp,
                     int hourlyLimit, int monthlyLimit, ZoneId quotaZone, SendWindow window, boolean enabled,
                     Integer quotaRemaining, Instant quotaSyncedAt, String lastError, Instant lastErrorAt) {

    public SenderQuota quota() {
        return new SenderQuota(id, hourlyLimit, monthlyLimit, quotaZone, quotaRemaining, quotaSyncedAt);
    }
}
