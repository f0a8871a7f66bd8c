package dev.mailroom.worker;

import dev.mailroom.core.defer.DeferService;
import dev.mailroom.core.delivery.MessageStamps;
import dev.mailroom.core.delivery.OutcomePolicy;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.db.Database;
import dev.mailroom.db.postgres.JooqCampaignStore;
import dev.mailroom.db.postgres.JooqConnectionTestQueue;
import dev.mailroom.db.postgres.JooqDeferralStore;
import dev.mailroom.db.postgres.JooqDomainHistory;
import dev.mailroom.db.postgres.JooqReconcileStore;
import dev.mailroom.db.postgres.JooqRelayHealth;
import dev.mailroom.db.postgres.JooqWebhookQueue;
import dev.mailroom.db.postgres.JooqSendLedger;
import dev.mailroom.db.postgres.JooqSenderStore;
import dev.mailroom.db.postgres.JooqTestEmailQueue;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisCircuitBreakers;
import dev.mailroom.db.redis.RedisLiveEvents;
import dev.mailroom.db.redis.RedisQuotaGate;
import dev.mailroom.db.redis.RedisSignals;
import dev.mailroom.db.redis.RedissonSenderLock;
import dev.mailroom.worker.bounce.BounceTick;
import dev.mailroom.worker.loop.Reconcile;
import dev.mailroom.worker.loop.RunUntilShutdown;
import dev.mailroom.worker.loop.LoopPorts;
import dev.mailroom.worker.loop.WorkerMetrics;
import dev.mailroom.worker.smtp.SmtpMailTransport;
import dev.mailroom.worker.webhook.DispatchWebhooks;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A worker, wired: the scheduler over PostgreSQL, Redis and SMTP. Nothing runs until {@link #start()} (I11). */
public final class Worker implements AutoCloseable {
    private final Database db;
    private final Redis redis;
    private final RunUntilShutdown loop;
    private final DispatchWebhooks webhooks;
    private final Reconcile reconcile;
    private final Duration reconcileInterval;
    private final ScheduledExecutorService reconciler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("reconcile").daemon().factory());
    private final BounceTick bounces;
    /** IMAP polls wait on remote servers: a thread of their own, so they never hold back the reconciler. */
    private final ScheduledExecutorService bounceReader =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("bounce-mailboxes").daemon().factory());

    public Worker(WorkerConfig config, Clock clock, MeterRegistry registry) {
        this.db = Database.connect(config.db(), "worker");
        this.redis = Redis.connect(config.redis(), config.lockLease().toMillis());
        var events = new RedisLiveEvents(redis);
        var ports = new LoopPorts(config.workerId(), config.concurrency(),
                new JooqCampaignStore(db.dsl()), new JooqSenderStore(db.dsl()), new JooqTestEmailQueue(db.dsl()),
                new JooqConnectionTestQueue(db.dsl()),
                new RedisQuotaGate(redis, new JooqSendLedger(db.dsl())), new RedissonSenderLock(redis),
                new DeferService(new JooqDeferralStore(db.dsl()), events),
                new SmtpMailTransport(config.smtpTimeoutMillis(), config.smtpTrustStore(), new SecretSealer(config.keys())),
                new RedisCircuitBreakers(redis, new JooqDomainHistory(db.dsl()), config.circuits()),
                new JooqRelayHealth(db.dsl()), events, new OutcomePolicy(config.maxAttempts(), config.retryBase()),
                MessageStamps.of(config.keys(), config.publicUrl()), clock, new WorkerMetrics(registry));
        var signals = new RedisSignals(redis);
        this.loop = new RunUntilShutdown(ports, signals, config.scanInterval(), config.senderSlots());
        this.reconcile = new Reconcile(new JooqReconcileStore(db.dsl()), ports.locks(), signals::wake, registry, clock);
        this.reconcileInterval = config.reconcileInterval();
        this.bounces = BounceTick.wire(config, db.dsl());
        this.webhooks = new DispatchWebhooks(new JooqWebhookQueue(db.dsl()), new SecretSealer(config.keys()), clock,
                config.webhookParallel(), config.webhookPoll(), config.webhookRetryBase(), config.egress());
    }

    public void start() {
        loop.start();
        webhooks.start();
        long every = reconcileInterval.toMillis();
        reconciler.scheduleWithFixedDelay(reconcile::runQuietly, every, every, TimeUnit.MILLISECONDS);
        long tick = bounces.tick().toMillis();
        bounceReader.scheduleWithFixedDelay(bounces::runQuietly, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Reads every due bounce mailbox and rechecks standing complaint alerts, in the calling thread (tests). */
    public void pollBounceMailboxesOnce() {
        bounces.runOnce();
    }

    /**
     * Serves every sender with work now, in the calling thread, and returns when each has finished or
     * waits: the seam tests drive the loop with (a settable clock makes it deterministic). Not with {@link #start()}.
     */
    public void runOnce() {
        loop.runOnce();
    }

    /** Graceful stop: in-flight messages finish, claims are released, connections close. */
    @Override
    public void close() {
        stop(reconciler);
        stop(bounceReader);
        loop.stop(Duration.ofSeconds(30));
        webhooks.close();
        redis.close();
        db.close();
    }

    /** A pass in progress finishes its transaction; none starts after this. */
    private static void stop(ScheduledExecutorService executor) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) executor.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
