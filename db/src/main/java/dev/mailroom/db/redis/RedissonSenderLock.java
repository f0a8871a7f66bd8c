package dev.mailroom.db.redis;

import dev.mailroom.core.port.SenderLock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.redisson.api.RLock;

/**
 * I2, first line: a Redisson lock per sender. Taken without a lease time, so Redisson's watchdog renews
 * it while this process lives and it expires one watchdog timeout after the process dies.
 */
public final class RedissonSenderLock implements SenderLock {
    private final Redis redis;

    public RedissonSenderLock(Redis redis) {
        this.redis = redis;
    }

    @Override
    public Optional<Held> tryAcquire(long senderId) {
        RLock lock = redis.client().getLock(redis.keys().senderLock(senderId));
        try {
            if (!lock.tryLock(0, TimeUnit.MILLISECONDS)) return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return Optional.of(new Held() {
            @Override
            public boolean stillHeld() {
                try {
                    return lock.isHeldByCurrentThread();
                } catch (RuntimeException e) {
                    return false;
                }
            }

            /**
             * Unlocks without asking first: asking is a Redis call of its own that may fail (a stall), and an
             * unlock attempt ends the watchdog's renewal whatever Redis answers, so a lock we could not
             * release still lapses after its lease instead of being renewed for the life of the process.
             */
            @Override
            public void close() {
                try {
                    lock.unlock();
                } catch (RuntimeException e) {
                    // Not ours any more (expired, lost with Redis) or Redis stalled; fencing keeps the data safe.
                }
            }
        });
    }

    @Override
    public boolean isHeld(long senderId) {
        return redis.client().getLock(redis.keys().senderLock(senderId)).isLocked();
    }
}
