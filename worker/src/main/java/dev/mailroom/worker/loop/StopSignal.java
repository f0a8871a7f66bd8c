package dev.mailroom.worker.loop;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A running campaign's stop request (pause, cancel, new controls, shutdown). Waits inside the loop —
 * a cool-down, a re-check — end as soon as one arrives, so the claim and the sender lock are never held
 * after the user asked to stop.
 */
final class StopSignal {
    private final CountDownLatch requested = new CountDownLatch(1);

    void request() {
        requested.countDown();
    }

    boolean requested() {
        return requested.getCount() == 0;
    }

    /** Waits up to {@code d}; true when it ended early because a stop was requested (or the thread interrupted). */
    boolean await(Duration d) {
        if (d.isZero() || d.isNegative()) return requested();
        try {
            return requested.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
