package dev.mailroom.worker;

import dev.mailroom.db.DbEnv;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code scripts/mailroom worker}: the only command that sends email (I11). Runs in the foreground until
 * SIGTERM, then finishes the message in flight and releases its claims.
 */
public final class WorkerMain {
    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    public static void main(String[] args) throws InterruptedException {
        // Jakarta Mail otherwise rescans every jar's META-INF/services for this on each body part written.
        System.setProperty("jakarta.mail.util.StreamProvider", "org.eclipse.angus.mail.util.MailStreamProvider");
        WorkerConfig config = WorkerConfig.fromEnvironment(System.getenv());
        log.info("worker {} starting: pid {}, concurrency {}, sender slots {}, database {}, redis {} (prefix {}), lock lease {} ms",
                config.workerId(), ProcessHandle.current().pid(), config.concurrency(), config.senderSlots(),
                DbEnv.redactedUrl(config.db().url()), config.redis().where().redacted(),
                config.redis().prefix(), config.lockLease().toMillis());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricsEndpoint metrics = MetricsEndpoint.start(config.metricsHost(), config.metricsPort(), registry, config.metricsToken());
        Worker worker = new Worker(config, Clock.systemUTC(), registry);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("worker {} stopping", config.workerId());
            worker.close();
            metrics.close();
            stopped.countDown();
        }, "shutdown"));
        worker.start();
        log.info("worker {} started", config.workerId());
        stopped.await();
    }
}
