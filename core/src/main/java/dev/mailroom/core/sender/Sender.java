package dev.mailroom.core.sender;

import dev.mailroom.core.defer.SendWindow;
import dev.mailroom.core.quota.SenderQuota;
import java.time.Instant;
import java.time.ZoneId;

/**
 * One SMTP account and one quota scope. {@code window} null means any time. {@code lastError} says why
 * the relay refused it last (null once it accepts mail again); only the worker writes it. {@code dkim} null
 * means its mail goes unsigned; {@code bounceDomain} null means the envelope sender is the From address,
 * else a per-message VERP address at that domain. {@code testReservePerHour} of each hour's sends are kept
 * for test emails (0: none; below {@code hourlyLimit} otherwise).
 */
public record Sender(long id, String name, String fromEmail, String fromName, SmtpSettings smtp,
                     int hourlyLimit, int monthlyLimit, int testReservePerHour, ZoneId quotaZone, SendWindow window,
                     boolean enabled, Integer quotaRemaining, Instant quotaSyncedAt, String lastError,
                     Instant lastErrorAt, DkimKey dkim, String bounceDomain) {

    public Sender withDkim(DkimKey key) {
        return new Sender(id, name, fromEmail, fromName, smtp, hourlyLimit, monthlyLimit, testReservePerHour, quotaZone,
                window, enabled, quotaRemaining, quotaSyncedAt, lastError, lastErrorAt, key, bounceDomain);
    }

    public Sender withSmtp(SmtpSettings settings) {
        return new Sender(id, name, fromEmail, fromName, settings, hourlyLimit, monthlyLimit, testReservePerHour, quotaZone,
                window, enabled, quotaRemaining, quotaSyncedAt, lastError, lastErrorAt, dkim, bounceDomain);
    }

    /** The domain of the From address, lower-case. */
    public String fromDomain() {
        return fromEmail.substring(fromEmail.lastIndexOf('@') + 1).toLowerCase(java.util.Locale.ROOT);
    }

    public SenderQuota quota() {
        return new SenderQuota(id, hourlyLimit, monthlyLimit, quotaZone, quotaRemaining, quotaSyncedAt, testReservePerHour);
    }
}
