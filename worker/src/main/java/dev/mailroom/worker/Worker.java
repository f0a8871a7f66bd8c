package dev.mailroom.worker;

import dev.mailroom.core.defer.DeferService;
import dev.mailroom.core.delivery.OutcomePolicy;
import dev.mailroom.db.Database;
import dev.mailroom.db.postgres.JooqCampaignStore;
import dev.mailroom.db.postgres.JooqDeferralStore;
import dev.mailroom.db.postgres.JooqDomainHistory;
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
import dev.mailroom.worker.loop.RunUntilShutdown;
import dev.mailroom.worker.loop.SendingContext;
import dev.mailroom.worker.loop.WorkerMetrics;
import dev.mailroom.worker.smtp.SmtpMailTransport;
import dev.mailroom.worker.webhook.DispatchWebhooks;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;

/** A worker, wired: the scheduler over PostgreSQL, Redis and SMTP. Nothing runs until {@link #start()} (I11). */
public final class Worker implements AutoCloseable {
    private final Database db;
    private final Redis redis;
    private final RunUntilShutdown loop;
    private final DispatchWebhooks webhooks;

    public Worker(WorkerConfig config, Clock clock, MeterRegistry registry) {
        this.db = Database.connect(config.db(), "worker");
        this.redis = Redis.connect(config.redis(), config.lockLease().toMillis());
        var events = new RedisLiveEvents(redis);
        var ctx = new SendingContext(config.workerId(), config.concurrency(),
                new JooqCampaignStore(db.dsl()), new JooqSenderStore(db.dsl()), new JooqTestEmailQueue(db.dsl()),
                new RedisQuotaGate(redis, new JooqSendLedger(db.dsl())), new RedissonSenderLock(redis),
                new DeferService(new JooqDeferralStore(db.dsl()), events),
                new SmtpMailTransport(config.smtpTimeoutMillis()),
                new RedisCircuitBreakers(redis, new JooqDomainHistory(db.dsl()), config.circuitThreshold(),
                        config.circuitCoolDown()),
                events, new OutcomePolicy(config.maxAttempts(), config.retryBase()), clock, new WorkerMetrics(registry));
        this.loop = new RunUntilShutdown(ctx, new RedisSignals(redis), config.scanInterval(), config.senderSlots());
        this.webhooks = new DispatchWebhooks(new JooqWebhookQueue(db.dsl()), clock, config.webhookParallel(),
                config.webhookPoll(), config.webhookRetryBase());
    }

    public void start() {
        loop.start();
        webhooks.start();
    }

    /** Graceful stop: in-flight messages finish, claims are released, connections close. */
    @Override
    public void close() {
        loop.stop(Duration.ofSeconds(30));
        webhooks.close();
        redis.close();
        db.close();
    }
}
