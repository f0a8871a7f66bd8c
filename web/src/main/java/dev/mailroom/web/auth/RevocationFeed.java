package dev.mailroom.web.auth;

import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisKeyRevocations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process's {@link VerifiedKeys} honest: a key revoked here is forgotten here at once and
 * announced to every other web process, which forget all their lookups on the message. Each (re)subscription
 * — after any Redis reconnect — forgets everything too, so a message lost meanwhile cannot keep a revoked key
 * alive for the rest of the cache's TTL.
 */
public final class RevocationFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RevocationFeed.class);

    private final RedisKeyRevocations topic;
    private final VerifiedKeys keys;
    private final Redis.Subscription subscription;

    public RevocationFeed(RedisKeyRevocations topic, VerifiedKeys keys) {
        this.topic = topic;
        this.keys = keys;
        this.subscription = topic.subscribe(keys::forgetAll);
    }

    public void revoked(long keyId) {
        keys.forgetAll();
        try {
            topic.publish(keyId);
        } catch (RuntimeException e) {
            log.warn("revocation of api key {} not announced ({}); other web processes refuse it once their cache expires",
                    keyId, e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (RuntimeException e) {
            log.debug("key revocation listener not removed: {}", e.getClass().getSimpleName());
        }
    }
}
