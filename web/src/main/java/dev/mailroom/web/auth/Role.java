package dev.mailroom.web.auth;

import io.javalin.security.RouteRole;

/**
 * API roles. {@code viewer < operator < admin} form a chain: a key may do what its role and every weaker role
 * may do. {@code ingest} stands outside the chain: it covers only itself, and no other role covers it, so a
 * route open to ingest keys names the chain role that may use it too (bounce reports: ingest and operator).
 */
public enum Role implements RouteRole {
    VIEWER, OPERATOR, ADMIN, INGEST; // the chain weakest first

    public boolean covers(Role required) {
        if (this == INGEST || required == INGEST) return this == required;
        return ordinal() >= required.ordinal();
    }

    public String wire() {
        return name().toLowerCase();
    }

    public static Role fromWire(String s) {
        return valueOf(s.toUpperCase());
    }
}
