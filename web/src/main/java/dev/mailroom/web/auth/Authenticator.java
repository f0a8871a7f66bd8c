package dev.mailroom.web.auth;

import dev.mailroom.db.postgres.ApiKeyRow;
import dev.mailroom.web.error.HttpFailure;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs before every matched route that declares roles: Bearer key → hash → key row → role. Routes without a
 * role (health, metrics, the {@code /u/{token}} unsubscribe pages whose signed token is their credential)
 * pass untouched. A key passes when its role covers any role the route declares.
 * <ol>
 *   <li>Missing, unknown, revoked or expired key → 401 (429 once its address failed too often).</li>
 *   <li>Role covers none of the route's roles → 403.</li>
 *   <li>Otherwise the handler finds the caller in {@link AuthenticatedKey#of} and the use is stamped.</li>
 * </ol>
 */
public final class Authenticator {
    private final VerifiedKeys keys;
    private final FailedAuthLimiter limiter;
    private final LastUse lastUse;
    private final Clock clock;

    public Authenticator(VerifiedKeys keys, FailedAuthLimiter limiter, LastUse lastUse, Clock clock) {
        this.keys = keys;
        this.limiter = limiter;
        this.lastUse = lastUse;
        this.clock = clock;
    }

    public void check(Context ctx) {
        List<Role> allowed = allowed(ctx);
        if (allowed.isEmpty()) return;
        Instant now = clock.instant();
        ApiKeyRow key = verify(ctx, now);
        Role role = Role.fromWire(key.role());
        if (allowed.stream().noneMatch(role::covers)) {
            throw HttpFailure.forbidden("this needs the " + allowed.stream().map(Role::wire).collect(Collectors.joining(" or "))
                    + " role; the key has " + role.wire());
        }
        ctx.attribute(AuthenticatedKey.ATTRIBUTE, new AuthenticatedKey(key.id(), key.name(), role));
        lastUse.used(key.id(), now);
    }

    private ApiKeyRow verify(Context ctx, Instant now) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw limiter.refuse(ctx.ip(), "an API key is required (Authorization: Bearer <key>)");
        }
        ApiKeyRow key = keys.byHash(ApiKeys.hash(header.substring(7).trim())).orElse(null);
        if (key == null) throw limiter.refuse(ctx.ip(), "unknown API key");
        if (key.revokedAt() != null) throw limiter.refuse(ctx.ip(), "this API key was revoked");
        if (!key.usableAt(now)) throw limiter.refuse(ctx.ip(), "this API key has expired");
        return key;
    }

    /** The route's roles, weakest chain role first (so a 403 names the least it takes). */
    private static List<Role> allowed(Context ctx) {
        List<Role> roles = new ArrayList<>();
        for (RouteRole r : ctx.routeRoles()) if (r instanceof Role role) roles.add(role);
        roles.sort(null);
        return roles;
    }
}
