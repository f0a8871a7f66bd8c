package dev.mailroom.worker;

import static dev.mailroom.core.config.EnvNumbers.intOf;

import dev.mailroom.core.circuit.CircuitRule;
import dev.mailroom.core.delivery.PublicUrl;
import dev.mailroom.core.net.EgressPolicy;
import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.MetricsToken;
import dev.mailroom.core.sender.ComplaintRateAlert;
import dev.mailroom.db.DbConfig;
import dev.mailroom.db.DbEnv;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.worker.smtp.SmtpTrustStore;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a worker process is told, read once from the environment in {@link WorkerMain}.
 *
 * @param concurrency   parallel SMTP connections per sender being served
 * @param senderSlots   how many senders this worker serves at once
 * @param lockLease     how long a dead worker's sender lock outlives it (Redisson watchdog timeout)
 * @param scanInterval  how often the worker looks for work when no wake-up arrived
 * @param maxAttempts   attempts per recipient before a transient failure becomes final
 * @param retryBase     the first per-recipient retry delay after a 4xx; doubles each attempt
 * @param circuits      when a route (sender, recipient domain) opens its circuit, and for how long (I16)
 * @param webhookParallel webhook deliveries in flight at once
 * @param reconcileInterval how often the reconciler looks for and repairs anomalies
 * @param smtpTrustStore  certificates trusted for relays besides the JDK's ({@code MAILROOM_SMTP_TRUSTSTORE},
 *                        a PKCS12 file, and {@code MAILROOM_SMTP_TRUSTSTORE_PASSWORD}); null for the JDK's alone
 * @param keys          the server's key ring (MAILROOM_SECRET_KEY): opens sealed secrets, signs unsubscribe and VERP tokens
 * @param publicUrl     the base URL of unsubscribe links (MAILROOM_PUBLIC_URL)
 * @param bouncePoll    how often each sender's bounce mailbox is read over IMAP (MAILROOM_BOUNCE_POLL_MS)
 * @param complaintRateAlert the 7-day complaint rate above which a sender is flagged (MAILROOM_COMPLAINT_RATE_ALERT)
 * @param egress        which addresses webhooks may be delivered to (MAILROOM_EGRESS_ALLOW opens private ones)
 * @param metricsToken  the bearer token the metrics endpoint requires (MAILROOM_METRICS_TOKEN); none: open
 * @param metricsHost   the address the metrics endpoint listens on (MAILROOM_WORKER_METRICS_HOST, default
 *                      loopback; 0.0.0.0 where Prometheus scrapes from another host or container)
 */
public record WorkerConfig(String workerId, DbConfig db, RedisConfig redis, int concurrency, int senderSlots,
                           Duration lockLease, Duration scanInterval, int smtpTimeoutMillis, int maxAttempts,
                           int metricsPort, Duration retryBase, CircuitRule circuits,
                           int webhookParallel, Duration webhookPoll, Duration webhookRetryBase,
                           Duration reconcileInterval, SmtpTrustStore smtpTrustStore, KeyRing keys,
                           PublicUrl publicUrl, Duration bouncePoll, ComplaintRateAlert complaintRateAlert,
                           EgressPolicy egress, MetricsToken metricsToken, String metricsHost) {

    public WorkerConfig {
        if (concurrency < 1 || concurrency > 256) throw new IllegalArgumentException("MAILROOM_WORKER_CONCURRENCY must be 1..256");
        if (senderSlots < 1) throw new IllegalArgumentException("MAILROOM_WORKER_SENDER_SLOTS must be at least 1");
        if (maxAttempts < 1) throw new IllegalArgumentException("MAILROOM_MAX_ATTEMPTS must be at least 1");
        if (retryBase.isNegative() || retryBase.isZero()) throw new IllegalArgumentException("MAILROOM_RETRY_BASE_MS must be positive");
        if (reconcileInterval.isNegative() || reconcileInterval.isZero()) {
            throw new IllegalArgumentException("MAILROOM_RECONCILE_INTERVAL_MS must be positive");
        }
        if (bouncePoll.toMillis() < 1000) throw new IllegalArgumentException("MAILROOM_BOUNCE_POLL_MS must be at least 1000");
        if (metricsHost == null || metricsHost.isBlank()) throw new IllegalArgumentException("MAILROOM_WORKER_METRICS_HOST must not be blank");
    }

    public static WorkerConfig fromEnvironment(Map<String, String> env) {
        int concurrency = intOf(env, "MAILROOM_WORKER_CONCURRENCY", 8);
        int slots = intOf(env, "MAILROOM_WORKER_SENDER_SLOTS", 4);
        return new WorkerConfig(
                env.getOrDefault("MAILROOM_WORKER_ID", defaultWorkerId()),
                DbEnv.fromEnvironment(env, slots * 2 + 4),
                new RedisConfig(env.getOrDefault("MAILROOM_REDIS_URL", RedisConfig.DEFAULT_URL),
                        env.getOrDefault("MAILROOM_REDIS_PREFIX", "mailroom:")),
                concurrency, slots,
                Duration.ofMillis(intOf(env, "MAILROOM_LOCK_LEASE_MS", 30_000)),
                Duration.ofMillis(intOf(env, "MAILROOM_SCAN_INTERVAL_MS", 2_000)),
                intOf(env, "MAILROOM_SMTP_TIMEOUT_MS", 30_000),
                intOf(env, "MAILROOM_MAX_ATTEMPTS", 3),
                intOf(env, "MAILROOM_WORKER_METRICS_PORT", 0),
                Duration.ofMillis(intOf(env, "MAILROOM_RETRY_BASE_MS", 60_000)),
                new CircuitRule(intOf(env, "MAILROOM_CIRCUIT_MIN_ATTEMPTS", 20),
                        intOf(env, "MAILROOM_CIRCUIT_FAILURE_PERCENT", 50),
                        Duration.ofMillis(intOf(env, "MAILROOM_CIRCUIT_WINDOW_MS", 120_000)),
                        Duration.ofMillis(intOf(env, "MAILROOM_CIRCUIT_COOLDOWN_MS", 300_000))),
                intOf(env, "MAILROOM_WEBHOOK_PARALLEL", 8),
                Duration.ofMillis(intOf(env, "MAILROOM_WEBHOOK_POLL_MS", 1_000)),
                Duration.ofMillis(intOf(env, "MAILROOM_WEBHOOK_RETRY_BASE_MS", 10_000)),
                Duration.ofMillis(intOf(env, "MAILROOM_RECONCILE_INTERVAL_MS", 60_000)),
                trustStoreOf(env),
                KeyRing.fromEnvironment(env),
                PublicUrl.fromEnvironment(env),
                Duration.ofMillis(intOf(env, "MAILROOM_BOUNCE_POLL_MS", 60_000)),
                ComplaintRateAlert.fromEnvironment(env),
                EgressPolicy.fromEnvironment(env),
                MetricsToken.fromEnvironment(env),
                env.getOrDefault("MAILROOM_WORKER_METRICS_HOST", "127.0.0.1").strip());
    }

    private static SmtpTrustStore trustStoreOf(Map<String, String> env) {
        String path = env.get("MAILROOM_SMTP_TRUSTSTORE");
        String password = env.get("MAILROOM_SMTP_TRUSTSTORE_PASSWORD");
        if (path == null || path.isBlank()) {
            if (password != null && !password.isEmpty()) {
                throw new IllegalArgumentException("MAILROOM_SMTP_TRUSTSTORE_PASSWORD is set but MAILROOM_SMTP_TRUSTSTORE is not");
            }
            return null;
        }
        return new SmtpTrustStore(Path.of(path.trim()), password == null || password.isEmpty() ? null : password);
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "worker";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
