package dev.mailroom.web.auth;

import dev.mailroom.db.postgres.JooqApiKeyStore;
import dev.mailroom.db.redis.RedisKeyRevocations;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin key from MAILROOM_ADMIN_KEY, made sure of at web start: stored (hashed) as the bootstrap key,
 * and the bootstrap key of any previous value revoked — in every running web process too. An unset variable
 * changes nothing (revoke the bootstrap key through the API to retire it); a value whose key was revoked
 * stays revoked.
 */
public final class BootstrapKey {
    private static final Logger log = LoggerFactory.getLogger(BootstrapKey.class);
    static final String NAME = "admin (MAILROOM_ADMIN_KEY)";

    private BootstrapKey() {}

    public static void ensure(JooqApiKeyStore store, RedisKeyRevocations revocations, String adminKey, Instant now) {
        JooqApiKeyStore.Bootstrap result = store.ensureBootstrap(NAME, ApiKeys.hash(adminKey), now);
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
