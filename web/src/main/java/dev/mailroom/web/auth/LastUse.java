package dev.mailroom.web.auth;

import dev.mailroom.db.postgres.JooqApiKeyStore;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stamps a key's {@code last_used_at} at most once a minute per key and process, on a virtual thread so the
 * request never waits for the write; the store's own condition keeps it to once a minute across processes.
 * A stamp lost to a database hiccup is simply taken a minute later.
 */
public final class LastUse {
    private static final Logger log = LoggerFactory.getLogger(LastUse.class);

    private final JooqApiKeyStore store;
    private final ConcurrentHashMap<Long, Instant> stamped = new ConcurrentHashMap<>();

    public LastUse(JooqApiKeyStore store) {
        this.store = store;
    }

    public void used(long keyId, Instant now) {
        Instant previous = stamped.get(keyId);
        if (previous != null && now.isBefore(previous.plus(JooqApiKeyStore.LAST_USED_GRANULARITY))) return;
        // Only the thread that swaps the stamp writes: concurrent first requests of a key write once.
        boolean mine = previous == null ? stamped.putIfAbsent(keyId, now) == null : stamped.replace(keyId, previous, now);
        if (mine) Thread.ofVirtual().name("key-last-used").start(() -> write(keyId, now));
    }

    private void write(long keyId, Instant now) {
        try {
            store.markUsed(keyId, now);
        } catch (RuntimeException e) {
            log.warn("last use of api key {} not recorded ({})", keyId, e.getClass().getSimpleName());
        }
    }
}
