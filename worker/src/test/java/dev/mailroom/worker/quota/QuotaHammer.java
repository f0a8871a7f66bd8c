package dev.mailroom.worker.quota;

import dev.mailroom.core.quota.QuotaGate;
import dev.mailroom.core.quota.SenderQuota;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads reserving 1..3 sends at a time against one sender until the gate refuses them. The threads
 * are started at once and wait for {@code go}, so two hammers really overlap.
 */
final class QuotaHammer {
    private final AtomicInteger granted = new AtomicInteger();
    private final CountDownLatch firstGrant = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();

    QuotaHammer(QuotaGate gate, SenderQuota quota, Instant now, int count, CountDownLatch go) {
        for (int t = 0; t < count; t++) {
            int wanted = 1 + t % 3;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int g; (g = gate.reserve(quota, wanted, now).granted()) > 0; ) {
                        granted.addAndGet(g);
                        firstGrant.countDown();
                        Thread.sleep(1); // lets the other side's threads in, rather than one side draining the hour
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
    }

    /** Loads the scripts and warms the client on another sender, so a cold process does not start late. */
    static void warmUp(QuotaGate gate, SenderQuota quota, Instant now) {
        SenderQuota spare = new SenderQuota(quota.senderId() + 1_000_000, 1_000, 1_000, quota.zone(), null, null);
        for (int i = 0; i < 50; i++) gate.reserve(spare, 1, now);
    }

    /** Waits until one of this hammer's threads has been granted something (false if none was in time). */
    boolean awaitFirstGrant() throws InterruptedException {
        return firstGrant.await(30, TimeUnit.SECONDS);
    }

    int join() throws InterruptedException {
        for (Thread t : threads) t.join();
        return granted.get();
    }
}
