package dev.mailroom.web.api;

import dev.mailroom.core.defer.SendWindow;
import dev.mailroom.core.sender.Sender;
import dev.mailroom.core.sender.SmtpSettings;
import dev.mailroom.db.postgres.SenderConnection;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Request → validated {@link Sender}, and {@link Sender} → the JSON the API shows (never the password nor
 * the DKIM private key). The DKIM key and bounce domain are carried over; their own requests change them.
 */
final class SenderMapping {
    private SenderMapping() {}

    record SmtpView(String host, int port, String tls, String username, boolean hasPassword, boolean allowPlaintextAuth) {}

    record WindowView(String start, String end, String timezone, List<Integer> days) {}

    record SenderView(long id, String name, String fromEmail, String fromName, SmtpView smtp, int hourlyLimit,
                      int monthlyLimit, int testReservePerHour, String quotaTimezone, WindowView window, boolean enabled, boolean hasPassword,
                      Integer quotaRemaining, Instant quotaSyncedAt, String lastError, Instant lastErrorAt, String lastFault,
                      ConnectionView lastConnection, SenderDkim.DkimView dkim) {}

    /** The last time a worker talked to the sender's relay: {@code ok}, or {@code failed} with the named fault. */
    record ConnectionView(String status, String fault, String detail, Instant at) {
        static ConnectionView of(SenderConnection c) {
            return c.status() == null ? null : new ConnectionView(c.status(), c.fault(), c.detail(), c.at());
        }
    }

    static SenderView view(Sender s, SenderConnection connection, SenderDkim.DkimView dkim) {
        SmtpSettings m = s.smtp();
        boolean hasPassword = m.password() != null && !m.password().isEmpty();
        SendWindow w = s.window();
        WindowView wv = w == null ? null : new WindowView(w.start().toString(), w.end().toString(), w.zone().getId(),
                w.days().stream().map(DayOfWeek::getValue).sorted().toList());
        return new SenderView(s.id(), s.name(), s.fromEmail(), s.fromName(),
                new SmtpView(m.host(), m.port(), m.tls().wire(), m.username(), hasPassword, m.allowPlaintextAuth()), s.hourlyLimit(),
                s.monthlyLimit(), s.testReservePerHour(), s.quotaZone().getId(), wv, s.enabled(), hasPassword, s.quotaRemaining(),
                s.quotaSyncedAt(), s.lastError(), s.lastErrorAt(), s.lastError() == null ? null : connection.lastFault(),
                ConnectionView.of(connection), dkim);
    }

    /** The stored sender as a request, its sealed password included: the base a PATCH is merged over. */
    static SenderRequest asRequest(Sender s) {
        SmtpSettings m = s.smtp();
        SendWindow w = s.window();
        SenderRequest.Window window = w == null ? null : new SenderRequest.Window(w.start().toString(),
                w.end().toString(), w.zone().getId(), w.days().stream().map(DayOfWeek::getValue).sorted().toList());
        return new SenderRequest(s.name(), s.fromEmail(), s.fromName(), new SenderRequest.Smtp(m.host(), m.port(),
                m.tls().wire(), m.username(), m.password(), m.allowPlaintextAuth()), s.hourlyLimit(), s.monthlyLimit(),
                s.testReservePerHour(), window, s.quotaZone().getId(), s.enabled());
    }

    static Sender validate(long id, SenderRequest r, Sender current) {
        Validation v = new Validation();
        String name = v.header("name", v.required("name", r.name(), 200));
        String from = v.email("from_email", r.fromEmail());
        String fromName = v.header("from_name", r.fromName());
        SmtpSettings smtp = smtp(v, r.smtp());
        Integer hourly = v.range("hourly_limit", r.hourlyLimit(), 0, Integer.MAX_VALUE, true);
        Integer monthly = v.range("monthly_limit", r.monthlyLimit(), 0, Integer.MAX_VALUE, true);
        int testReserve = testReserve(v, r.testReservePerHour(), hourly);
        SendWindow window = window(v, r.window());
        ZoneId quotaZone = v.zone("quota_timezone", r.quotaTimezone());
        if (r.quotaTimezone() == null) quotaZone = window != null ? window.zone() : ZoneId.of("UTC");
        // Judged when the SMTP settings are given or change: an older sender's unrelated edit is not refused for it.
        if (smtp != null && smtp.refusesPlaintextAuth() && (current == null || !smtp.equals(current.smtp()))) {
            v.error("smtp.tls", "AUTH over an unencrypted connection to a relay off this machine would send the password "
                    + "in clear: use starttls or tls, or set smtp.allow_plaintext_auth to true");
        }
        v.throwIfAny();
        return new Sender(id, name, from, fromName, smtp, hourly, monthly, testReserve, quotaZone, window,
                r.enabled() == null || r.enabled(), current == null ? null : current.quotaRemaining(),
                current == null ? null : current.quotaSyncedAt(), current == null ? null : current.lastError(),
                current == null ? null : current.lastErrorAt(), current == null ? null : current.dkim(),
                current == null ? null : current.bounceDomain());
    }

    /**
     * Sends of each hour kept for test emails: 0 (none, the default) or fewer than {@code hourly_limit}, so
     * campaigns always keep some of the hour. A PATCH that lowers the limit to the reserve or below is refused
     * for the reserve too.
     */
    private static int testReserve(Validation v, Integer reserve, Integer hourly) {
        if (reserve == null) return 0;
        if (reserve < 0) {
            v.error("test_reserve_per_hour", "must be 0 or more");
        } else if (reserve > 0 && hourly != null && reserve >= hourly) {
            v.error("test_reserve_per_hour", "must be below hourly_limit (" + hourly + ")");
        }
        return reserve;
    }

    private static SmtpSettings smtp(Validation v, SenderRequest.Smtp s) {
        if (s == null) {
            v.error("smtp", "is required");
            return null;
        }
        String host = v.header("smtp.host", v.required("smtp.host", s.host(), 255));
        Integer port = v.range("smtp.port", s.port(), 1, 65535, true);
        SmtpSettings.Tls tls = SmtpSettings.Tls.NONE;
        if (s.tls() != null) {
            try {
                tls = SmtpSettings.Tls.fromWire(s.tls());
            } catch (IllegalArgumentException e) {
                v.error("smtp.tls", "must be none, starttls or tls");
            }
        }
        v.header("smtp.username", s.username());
        return v.ok() ? new SmtpSettings(host, port, tls, s.username(), s.password(), Boolean.TRUE.equals(s.allowPlaintextAuth()))
                : null;
    }

    private static SendWindow window(Validation v, SenderRequest.Window w) {
        if (w == null) return null;
        LocalTime start = time(v, "window.start", w.start());
        LocalTime end = time(v, "window.end", w.end());
        if (w.timezone() == null) v.error("window.timezone", "is required");
        ZoneId zone = v.zone("window.timezone", w.timezone());
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        if (w.days() != null) {
            for (int i = 0; i < w.days().size(); i++) {
                Integer d = w.days().get(i);
                if (d == null || d < 1 || d > 7) v.error("window.days[" + i + "]", "must be 1 (Monday) to 7 (Sunday)");
                else days.add(DayOfWeek.of(d));
            }
        }
        if (start != null && start.equals(end)) v.error("window.end", "must differ from window.start");
        return start == null || end == null || zone == null ? null : new SendWindow(start, end, zone, days);
    }

    private static LocalTime time(Validation v, String field, String s) {
        if (s == null) {
            v.error(field, "is required");
            return null;
        }
        try {
            return LocalTime.parse(s);
        } catch (DateTimeParseException e) {
            v.error(field, "must be a time like 09:00");
            return null;
        }
    }
}
