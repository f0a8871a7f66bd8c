package dev.mailroom.db.postgres;

import java.time.Instant;

/**
 * One API key as stored (never the key, never its hash).
 *
 * @param bootstrap made from MAILROOM_ADMIN_KEY: a web process started with another value revokes it
 */
public record ApiKeyRow(long id, String name, String role, Instant createdAt, Instant expiresAt, Instant lastUsedAt,
                        Instant revokedAt, boolean bootstrap) {

    /** Not revoked and not expired at {@code now}. */
    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
