package dev.mailroom.web.auth;

import io.javalin.security.RouteRole;

/** API roles, weakest first: a key may do what its role and every weaker role may do. */
public enum Role implements RouteRole {
    VIEWER, OPERATOR, ADMIN;

    public boolean covers(Role required) {
        return ordinal() >= required.ordinal();
    }

    public String wire() {
        return name().toLowerCase();
    }

    public static Role fromWire(String s) {
        return valueOf(s.toUpperCase());
    }
}
