package dev.mailroom.web.auth;

import io.javalin.http.Context;

/** The key a request authenticated with, as the {@link Authenticator} leaves it for the handlers. */
public record AuthenticatedKey(long id, String name, Role role) {
    static final String ATTRIBUTE = "mailroom.api_key";

    /** The caller of a route that declares a role; such a route never runs unauthenticated. */
    public static AuthenticatedKey of(Context ctx) {
        AuthenticatedKey key = ctx.attribute(ATTRIBUTE);
        if (key == null) throw new IllegalStateException("the route declares no role, so no key was checked");
        return key;
    }
}
