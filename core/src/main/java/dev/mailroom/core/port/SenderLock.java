package dev.mailroom.core.port;

import java.util.Optional;

/** I2: one worker at a time serves a sender. */
public interface SenderLock {
    /** Takes the lock without waiting, or empty when another worker holds it. */
    Optional<Held> tryAcquire(long senderId);

    /** Whether any worker, this one included, holds the sender's lock right now. */
    boolean isHeld(long senderId);

    interface Held extends AutoCloseable {
        /** Asks Redis whether the lock is still ours: it may have expired or been lost with Redis. */
        boolean stillHeld();

        @Override
        void close();
    }
}
