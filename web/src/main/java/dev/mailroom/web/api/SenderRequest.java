package dev.mailroom.web.api;

import java.util.List;

/** The body of POST /api/senders (and, merged over the stored sender, of PATCH). */
public record SenderRequest(String name, String fromEmail, String fromName, Smtp smtp, Integer hourlyLimit,
                            Integer monthlyLimit, Integer testReservePerHour, Window window, String quotaTimezone,
                            Boolean enabled) {

    public record Smtp(String host, Integer port, String tls, String username, String password, Boolean allowPlaintextAuth) {}

    public record Window(String start, String end, String timezone, List<Integer> days) {}
}
