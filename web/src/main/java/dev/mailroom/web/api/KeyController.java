package dev.mailroom.web.api;

import dev.mailroom.core.error.NotFound;
import dev.mailroom.db.postgres.ApiKeyRow;
import dev.mailroom.db.postgres.JooqApiKeyStore;
import dev.mailroom.db.postgres.JooqAuditTrail;
import dev.mailroom.web.auth.ApiKeys;
import dev.mailroom.web.auth.RevocationFeed;
import dev.mailroom.web.auth.Role;
import dev.mailroom.web.error.HttpFailure;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /api/keys (admin): a key is returned once, at creation, and stored only as its SHA-256 hash; lists show
 * neither. Revoking is permanent; any key may be revoked (the caller's own included) except the last usable
 * admin key, so the API never locks every admin out.
 */
public final class KeyController {
    private static final Logger log = LoggerFactory.getLogger(KeyController.class);

    private final JooqApiKeyStore keys;
    private final RevocationFeed revocations;
    private final Audit audit;
    private final Requests requests;
    private final Clock clock;

    public KeyController(JooqApiKeyStore keys, RevocationFeed revocations, Audit audit, Requests requests, Clock clock) {
        this.keys = keys;
        this.revocations = revocations;
        this.audit = audit;
        this.requests = requests;
        this.clock = clock;
    }

    public record KeyRequest(String name, String role, String expiresAt) {}

    public record KeyCreated(long id, String name, String role, String key, Instant expiresAt) {}

    public record KeyView(long id, String name, String role, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
                          Instant revokedAt, boolean bootstrap) {
        static KeyView of(ApiKeyRow r) {
            return new KeyView(r.id(), r.name(), r.role(), r.createdAt(), r.expiresAt(), r.lastUsedAt(), r.revokedAt(),
                    r.bootstrap());
        }
    }

    public void create(Context ctx) throws Exception {
        KeyRequest r = requests.body(ctx, KeyRequest.class);
        Validation v = new Validation();
        String name = v.required("name", r.name(), 200);
        Role role = role(v, r.role());
        Instant expiresAt = v.time("expires_at", r.expiresAt());
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) v.error("expires_at", "must be in the future");
        v.throwIfAny();
        String key = ApiKeys.generate();
        ApiKeyRow row = audit.change(ctx, tx -> {
            ApiKeyRow created = new JooqApiKeyStore(tx).create(name, role.wire(), ApiKeys.hash(key), expiresAt);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("name", created.name());
            detail.put("role", created.role());
            detail.put("expires_at", created.expiresAt() == null ? null : created.expiresAt().toString());
            return Audit.audited(created, "key.create", "api_key", created.id(), detail);
        });
        log.info("api key {} created with role {}", row.id(), role.wire());
        ctx.status(201).json(new KeyCreated(row.id(), row.name(), row.role(), key, row.expiresAt()));
    }

    public void list(Context ctx) {
        ctx.json(PageView.of(keys.list(Requests.longCursor(ctx), Requests.limit(ctx)), KeyView::of));
    }

    public void revoke(Context ctx) {
        long id = Requests.id(ctx, "id");
        JooqApiKeyStore.Revocation outcome = audit.change(ctx, tx -> {
            JooqApiKeyStore.Revocation r = new JooqApiKeyStore(tx).revoke(id, clock.instant());
            return r == JooqApiKeyStore.Revocation.REVOKED
                    ? Audit.audited(r, "key.revoke", "api_key", id, Map.of())
                    : JooqAuditTrail.Audited.nothing(r);
        });
        switch (outcome) {
            case NOT_FOUND -> throw new NotFound("API key", id);
            case LAST_ADMIN -> throw new HttpFailure(409, "conflict", "Conflict",
                    "this is the last usable admin key; create another admin key before revoking it");
            case REVOKED -> {
                revocations.revoked(id);
                log.info("api key {} revoked", id);
            }
            case ALREADY_REVOKED -> { }
        }
        ctx.status(204);
    }

    private static Role role(Validation v, String wire) {
        if (wire == null) {
            v.error("role", "is required");
            return null;
        }
        try {
            return Role.fromWire(wire);
        } catch (IllegalArgumentException e) {
            v.error("role", "must be admin, operator, viewer or ingest");
            return null;
        }
    }
}
