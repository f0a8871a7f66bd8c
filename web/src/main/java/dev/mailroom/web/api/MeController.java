package dev.mailroom.web.api;

import dev.mailroom.db.postgres.JooqApiKeyStore;
import dev.mailroom.web.auth.ApiKeys;
import dev.mailroom.web.error.HttpFailure;
import io.javalin.http.Context;

/** GET /api/me (viewer): the calling key's name and role, so the console shows only what the key may do. */
public final class MeController {
    private final JooqApiKeyStore keys;

    public MeController(JooqApiKeyStore keys) {
        this.keys = keys;
    }

    public record Me(String name, String role) {}

    /** The route requires a key, so the Authenticator has already checked the header; never echo the key. */
    public void me(Context ctx) {
        String header = ctx.header("Authorization");
        String key = header == null || header.length() <= 7 ? "" : header.substring(7).trim();
        var row = keys.findByHash(ApiKeys.hash(key)).orElseThrow(() -> HttpFailure.unauthorized("unknown API key"));
        ctx.json(new Me(row.name(), row.role()));
    }
}
