package dev.mailroom.worker.loop;

import dev.mailroom.core.error.SafeErrors;
import dev.mailroom.db.redis.RedisSignals;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's scheduler: on a Redis wake-up, or every scan interval, it looks for senders with work
 * and serves each on a virtual thread, at most {@code senderSlots} at once. Pause and cancel signals
 * reach the running campaign directly. {@link #stop()} lets in-flight messages finish and releases claims.
 */
public final class RunUntilShutdown {
    private static final Logger log = LoggerFactory.getLogger(RunUntilShutdown.class);

    private final SendingContext ctx;
    private final RedisSignals signals;
    private final Duration scanInterval;
    private final Semaphore slots;
    private final Map<Long, RunCampaign> running = new ConcurrentHashMap<>();
    private final Set<Long> serving = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<Long> wakeUps = new LinkedBlockingQueue<>();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final ExecutorService senders = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sender-", 0).factory());
    private Thread scheduler;

    public RunUntilShutdown(SendingContext ctx, RedisSignals signals, Duration scanInterval, int senderSlots) {
        this.ctx = ctx;
        this.signals = signals;
        this.scanInterval = scanInterval;
        this.slots = new Semaphore(senderSlots);
    }

    public synchronized void start() {
        signals.onWake(wakeUps::offer);
        signals.onControl((campaignId, action) -> {
            RunCampaign c = running.get(campaignId);
            if (c != null) c.requestStop();
        });
        scheduler = Thread.ofPlatform().name("scheduler").start(this::loop);
    }

    private void loop() {
        while (!shuttingDown.get()) {
            try {
                wakeUps.poll(scanInterval.toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.clear();
                for (long senderId : ctx.campaigns().sendersWithWork(ctx.clock().instant())) {
                    if (shuttingDown.get()) break;
                    if (serving.contains(senderId) || !slots.tryAcquire()) continue;
                    serving.add(senderId);
                    senders.submit(() -> serve(senderId));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("looking for work failed; retrying in {} ms: {}", scanInterval.toMillis(), SafeErrors.describe(e));
                Sleep.interruptibly(scanInterval.toMillis());
            }
        }
    }

    private void serve(long senderId) {
        try {
            new ServeSender(ctx, senderId, running, shuttingDown::get).run();
        } finally {
            serving.remove(senderId);
            slots.release();
        }
    }

    /** Graceful: the message in flight finishes, unsent ones go back to pending, claims are released. */
    public void stop(Duration grace) {
        shuttingDown.set(true);
        signals.removeListeners();
        if (scheduler != null) scheduler.interrupt();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("senders still busy after {} s; stopping anyway", grace.toSeconds());
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
