package dev.mailroom.worker.loop;

import dev.mailroom.core.error.SafeErrors;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisSignals;
import java.time.Duration;
import java.util.List;
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

    private final SenderServing serving;
    private final RedisSignals signals;
    private final Duration scanInterval;
    private final Semaphore slots;
    private final Map<Long, RunCampaign> running = new ConcurrentHashMap<>();
    private final Set<Long> busy = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<Long> wakeUps = new LinkedBlockingQueue<>();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    // Platform threads: a sender's loop blocks on PostgreSQL and Redis for every batch (see SmtpLanes).
    private final ExecutorService senders = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("sender-", 0).daemon().factory());
    private Thread scheduler;
    private volatile List<Redis.Subscription> subscriptions = List.of();

    public RunUntilShutdown(LoopPorts ports, RedisSignals signals, Duration scanInterval, int senderSlots) {
        this.serving = SenderServing.wire(ports);
        this.signals = signals;
        this.scanInterval = scanInterval;
        this.slots = new Semaphore(senderSlots);
    }

    public synchronized void start() {
        subscriptions = List.of(signals.onWake(wakeUps::offer), signals.onControl((campaignId, action) -> {
            RunCampaign c = running.get(campaignId);
            if (c != null) c.requestStop();
        }));
        scheduler = Thread.ofPlatform().name("scheduler").start(this::loop);
    }

    private void loop() {
        while (!shuttingDown.get()) {
            try {
                wakeUps.poll(scanInterval.toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.clear();
                for (long senderId : serving.campaigns().sendersWithWork(serving.clock().instant())) {
                    if (shuttingDown.get()) break;
                    if (busy.contains(senderId) || !slots.tryAcquire()) continue;
                    busy.add(senderId);
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

    /**
     * One pass in the calling thread, for tests (db-scheduler's ManualScheduler): every sender with work
     * now is served until its campaigns finish or wait. With a settable clock nothing waits on time.
     */
    public void runOnce() {
        for (long senderId : serving.campaigns().sendersWithWork(serving.clock().instant())) {
            new ServeSender(serving, senderId, running, shuttingDown::get).run();
        }
    }

    private void serve(long senderId) {
        try {
            new ServeSender(serving, senderId, running, shuttingDown::get).run();
        } finally {
            busy.remove(senderId);
            slots.release();
        }
    }

    /** Graceful: the message in flight finishes, unsent ones go back to pending, claims are released. */
    public void stop(Duration grace) {
        shuttingDown.set(true);
        running.values().forEach(RunCampaign::requestStop); // a cool-down in progress ends now
        subscriptions.forEach(Redis.Subscription::close);
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
