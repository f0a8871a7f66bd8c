package dev.mailroom.web.api;

import dev.mailroom.web.auth.AuthenticatedKey;
import io.javalin.http.Context;

/** GET /api/me (viewer): the calling key's name and role, so the console shows only what the key may do. */
public final class MeController {
    public record Me(String name, String role) {}

    /** Never echoes the key: the Authenticator has already resolved it to its stored row. */
    public void me(Context ctx) {
        AuthenticatedKey key = AuthenticatedKey.of(ctx);
        ctx.json(new Me(key.name(), key.role().wire()));
    }
}
