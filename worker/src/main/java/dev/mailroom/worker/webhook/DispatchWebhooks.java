package dev.mailroom.worker.webhook;

import dev.mailroom.core.error.SafeErrors;
import dev.mailroom.core.net.EgressPolicy;
import dev.mailroom.core.port.WebhookQueue;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.webhook.WebhookCall;
import dev.mailroom.core.webhook.WebhookRetry;
import dev.mailroom.core.webhook.WebhookSignature;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the webhook outbox: signed POSTs, at most {@code parallel} at once, retried with exponential
 * backoff, at least once. It runs beside the send loop on its own threads, so a slow endpoint never
 * slows sending. The endpoint's secret is stored sealed (I19) and opened per call, just to sign; one that
 * cannot be opened sends nothing and is logged as a failed attempt, retried like any other.
 *
 * <p>Only addresses the {@link EgressPolicy} lets through are connected to, redirects are never followed,
 * and the delivery log holds our words, never the receiver's. An address the policy refuses fails the
 * delivery at once, without retries: it stays refused until an operator opens it with MAILROOM_EGRESS_ALLOW
 * (and restarts), so backing off would only repeat the same refusal for hours.
 */
public final class DispatchWebhooks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DispatchWebhooks.class);
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final WebhookQueue queue;
    private final SecretSealer sealer;
    private final Clock clock;
    private final Duration poll;
    private final Duration firstRetry;
    private final Semaphore inFlight;
    private final EgressPolicy egress;
    private final EgressPolicy.Resolver dns;
    private WebhookPoster poster;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean running = true;
    private Thread loop;

    public DispatchWebhooks(WebhookQueue queue, SecretSealer sealer, Clock clock, int parallel, Duration poll,
                            Duration firstRetry, EgressPolicy egress) {
        this(queue, sealer, clock, parallel, poll, firstRetry, egress, InetAddress::getAllByName);
    }

    /** As above, resolving host names with {@code dns} (tests give names answers of their own). */
    public DispatchWebhooks(WebhookQueue queue, SecretSealer sealer, Clock clock, int parallel, Duration poll,
                            Duration firstRetry, EgressPolicy egress, EgressPolicy.Resolver dns) {
        this.queue = queue;
        this.egress = egress;
        this.dns = dns;
        this.sealer = sealer;
        this.clock = clock;
        this.poll = poll;
        this.firstRetry = firstRetry;
        this.inFlight = new Semaphore(parallel);
    }

    public void start() {
        poster = new WebhookPoster(egress, dns, TIMEOUT);
        loop = Thread.ofPlatform().name("webhooks").daemon().start(this::run);
    }

    private void run() {
        while (running) {
            try {
                // Lease only as many rows as there are free slots, so none waits in memory past its lease.
                int free = inFlight.availablePermits();
                List<WebhookCall> due = free == 0 ? List.of() : queue.takeDue(free, LEASE, clock.instant());
                for (WebhookCall call : due) {
                    inFlight.acquire();
                    calls.submit(() -> {
                        try {
                            deliver(call);
                        } finally {
                            inFlight.release();
                        }
                    });
                }
                if (due.isEmpty()) Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("webhook dispatch pass failed: {}", SafeErrors.describe(e));
                sleepQuietly();
            }
        }
    }

    private void deliver(WebhookCall call) {
        String body = "{\"id\":" + call.outboxId() + ",\"event\":\"" + call.event() + "\",\"created_at\":\""
                + call.createdAt() + "\",\"data\":" + call.payload() + "}";
        long unix = clock.instant().getEpochSecond();
        long start = System.nanoTime();
        WebhookPoster.Answer answer;
        try {
            String secret = sealer.open(call.sealedSecret(), WebhookCall.SECRET_SEAL_PURPOSE);
            answer = poster.post(call.url(), Map.of(WebhookSignature.HEADER, WebhookSignature.header(secret, unix, body)), body);
        } catch (SecretSealer.SealedSecretUnreadable e) {
            // Nothing goes out unsigned; the reason names the key id at most, never the secret (I14).
            answer = new WebhookPoster.Answer(null, "webhook secret unusable, nothing is sent: " + e.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = new WebhookPoster.Answer(null, "interrupted", false);
        }
        String error = answer.error();
        long ms = (System.nanoTime() - start) / 1_000_000;
        Instant now = clock.instant();
        Instant retryAt = answer.delivered() || answer.permanent() || call.attemptNo() >= WebhookRetry.MAX_ATTEMPTS
                ? null : now.plus(WebhookRetry.after(call.attemptNo(), firstRetry));
        queue.recordAttempt(call, answer.status(), error, ms, retryAt, now);
        if (error != null) {
            // The full error goes to the delivery log; the log line names only its kind (I14).
            log.info("webhook {} to endpoint {} attempt {} failed ({}); {}", call.outboxId(), call.endpointId(),
                    call.attemptNo(), error.split(":", 2)[0], retryAt == null ? "giving up" : "retrying at " + retryAt);
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        if (loop != null) loop.interrupt();
        calls.shutdown();
        try {
            calls.awaitTermination(TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (poster != null) poster.close();
    }
}
