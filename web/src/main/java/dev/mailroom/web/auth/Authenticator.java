package dev.mailroom.web.auth;

import dev.mailroom.db.postgres.ApiKeyRow;
import dev.mailroom.db.postgres.JooqApiKeyStore;
import dev.mailroom.web.error.HttpFailure;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs before every matched route that declares a role: Bearer key → hash → role. Routes without a role
 * (health, metrics, the {@code /u/{token}} unsubscribe pages whose signed token is their credential) pass
 * untouched. Missing or unknown key → 401, role too weak → 403. Lookups are cached for one second (by
 * hash, never by key): a poller then costs one SHA-256 and a map lookup per request and one indexed read a
 * second, and a key removed from the store is refused by every web process within one second (API.md).
 */
public final class Authenticator {
    private static final long CACHE_NANOS = 1_000_000_000L;
    private static final int CACHE_MAX = 10_000;

    private record Cached(Optional<Role> role, long at) {}

    private final JooqApiKeyStore keys;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public Authenticator(JooqApiKeyStore keys) {
        this.keys = keys;
    }

    public void check(Context ctx) {
        Role required = required(ctx);
        if (required == null) return;
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw HttpFailure.unauthorized("an API key is required (Authorization: Bearer <key>)");
        }
        Role role = roleOf(ApiKeys.hash(header.substring(7).trim()))
                .orElseThrow(() -> HttpFailure.unauthorized("unknown API key"));
        if (!role.covers(required)) {
            throw HttpFailure.forbidden("this needs the " + required.wire() + " role; the key has " + role.wire());
        }
    }

    private static Role required(Context ctx) {
        Role min = null;
        for (RouteRole r : ctx.routeRoles()) {
            if (r instanceof Role role && (min == null || !min.covers(role))) min = role;
        }
        return min;
    }

    private Optional<Role> roleOf(String hash) {
        long now = System.nanoTime();
        Cached c = cache.get(hash);
        if (c != null && now - c.at() < CACHE_NANOS) return c.role();
        Optional<Role> role = keys.findByHash(hash).map(ApiKeyRow::role).map(Role::fromWire);
        if (cache.size() >= CACHE_MAX) cache.clear();
        cache.put(hash, new Cached(role, now));
        return role;
    }
}
