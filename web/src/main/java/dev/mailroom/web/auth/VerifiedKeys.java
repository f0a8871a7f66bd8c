package dev.mailroom.web.auth;

import dev.mailroom.db.postgres.ApiKeyRow;
import dev.mailroom.db.postgres.JooqApiKeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Key lookups by hash (never by key), cached so a poller costs one SHA-256 and a map lookup per request.
 * The cache lives long ({@link AuthSettings#cacheTtl()}) because revocations clear it at once over Redis
 * ({@link RevocationFeed}); the TTL only bounds a process that missed a message and every reconnect. Expiry
 * is not cached: the row carries {@code expires_at} and every request compares it with the clock.
 */
public final class VerifiedKeys {
    private static final int MAX_ENTRIES = 10_000;

    private record Cached(Optional<ApiKeyRow> row, long at) {}

    private final JooqApiKeyStore store;
    private final long ttlNanos;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    public VerifiedKeys(JooqApiKeyStore store, Duration ttl) {
        this.store = store;
        this.ttlNanos = ttl.toNanos();
    }

    public Optional<ApiKeyRow> byHash(String hash) {
        long now = System.nanoTime();
        Cached c = cache.get(hash);
        if (c != null && now - c.at() < ttlNanos) return c.row();
        Optional<ApiKeyRow> row = store.findByHash(hash);
        if (cache.size() >= MAX_ENTRIES) cache.clear(); // unknown keys must not grow it without bound
        cache.put(hash, new Cached(row, now));
        return row;
    }

    public void forgetAll() {
        cache.clear();
    }
}
