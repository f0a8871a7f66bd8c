package dev.mailroom.web.auth;

import dev.mailroom.db.postgres.JooqApiKeyStore;
import dev.mailroom.db.postgres.JooqAuditTrail;
import dev.mailroom.db.postgres.JooqAuditTrail.Actor;
import dev.mailroom.db.postgres.JooqAuditTrail.Audited;
import dev.mailroom.db.postgres.JooqAuditTrail.Event;
import dev.mailroom.db.redis.RedisKeyRevocations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin key from MAILROOM_ADMIN_KEY, made sure of at web start: stored (hashed) as the bootstrap key,
 * and the bootstrap key of any previous value revoked — in every running web process too. An unset variable
 * changes nothing (revoke the bootstrap key through the API to retire it); a value whose key was revoked
 * stays revoked. Both show in the audit trail as the process's own doing (no key).
 */
public final class BootstrapKey {
    private static final Logger log = LoggerFactory.getLogger(BootstrapKey.class);
    static final String NAME = "admin (MAILROOM_ADMIN_KEY)";

    private BootstrapKey() {}

    public static void ensure(DSLContext dsl, RedisKeyRevocations revocations, String adminKey, Instant now) {
        JooqApiKeyStore.Bootstrap result = new JooqAuditTrail(dsl).change(Actor.PROCESS, tx -> {
            JooqApiKeyStore.Bootstrap b = new JooqApiKeyStore(tx).ensureBootstrap(NAME, ApiKeys.hash(adminKey), now);
            List<Event> events = new ArrayList<>();
            if (b.createdId() != null) {
                events.add(Event.of("key.create", "api_key", b.createdId(), Map.of("name", NAME, "role", "admin", "bootstrap", true)));
            }
            for (long id : b.revokedIds()) {
                events.add(Event.of("key.revoke", "api_key", id, Map.of("reason", "MAILROOM_ADMIN_KEY changed")));
            }
            return new Audited<>(b, events);
        });
        for (long id : result.revokedIds()) {
            log.info("api key {} revoked: MAILROOM_ADMIN_KEY changed", id);
            try {
                revocations.publish(id);
            } catch (RuntimeException e) {
                log.warn("revocation of api key {} not announced ({})", id, e.getClass().getSimpleName());
            }
        }
        if (result.configuredRevoked()) {
            log.warn("MAILROOM_ADMIN_KEY is a revoked key: it stays revoked and no other key changed; set a new value to replace the bootstrap key");
        }
    }
}
