package dev.mailroom.web.metrics;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.circuit.CircuitBreakers.Circuit;
import dev.mailroom.core.quota.QuotaUsage;
import dev.mailroom.db.postgres.JooqPollQueries.Processing;
import dev.mailroom.web.metrics.OpsReader.QuotaUse;
import dev.mailroom.web.metrics.OpsReader.Reading;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.MultiGauge.Row;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web process's Prometheus registry: JVM binders, HTTP request timers, and the operational gauges ops
 * alert on — queue depth by status, processing campaigns' idle time, open circuits and how long each has been
 * open, quota use per sender, complaint rates, the webhook backlog, open event streams.
 *
 * <p>The stores behind the gauges are read before a scrape, at most every {@link #REFRESH} (complaint rates,
 * counts over days, at most every {@link #REPUTATION_REFRESH}); a failed read keeps the previous figures.
 * Ages are worked out at scrape time from the times read, so they keep growing while the stores cannot be read.
 */
public final class WebMetrics implements AutoCloseable {
    static final Duration REFRESH = Duration.ofSeconds(5);
    static final Duration REPUTATION_REFRESH = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(WebMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final OpsReader ops;
    private final Clock clock;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final MultiGauge processingIdle;
    private final MultiGauge circuitOpen;
    private final MultiGauge quotaUsed;
    private final MultiGauge quotaLimit;
    private final MultiGauge quotaRemaining;
    private final MultiGauge complaintRate;
    private volatile Reading reading = Reading.EMPTY;
    private long readAt = Long.MIN_VALUE;
    private long ratesReadAt = Long.MIN_VALUE;

    /**
     * @param openStreams how many event streams this process holds open
     * @param complaintRateThreshold MAILROOM_COMPLAINT_RATE_ALERT, exported beside the rates it is compared to
     */
    public WebMetrics(OpsReader ops, IntSupplier openStreams, Clock clock, double complaintRateThreshold) {
        this.ops = ops;
        this.clock = clock;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        for (CampaignStatus s : CampaignStatus.values()) {
            Gauge.builder("mailroom_queue_depth", this, m -> m.reading.depth().getOrDefault(s.wire(), 0))
                    .description("campaign_queue rows by status").tag("status", s.wire()).register(registry);
        }
        processingIdle = MultiGauge.builder("mailroom_processing_idle_seconds").baseUnit("seconds")
                .description("seconds since a processing campaign's last batch began (or since its claim)").register(registry);
        Gauge.builder("mailroom_circuits_open", this, m -> m.reading.circuits().size())
                .description("routes (sender, recipient domain) whose circuit is open or half-open").register(registry);
        circuitOpen = MultiGauge.builder("mailroom_circuit_open_seconds").baseUnit("seconds")
                .description("seconds since a route's circuit opened (a failed probe does not restart it)").register(registry);
        quotaUsed = MultiGauge.builder("mailroom_quota_used")
                .description("messages counted against a sender's quota in the current hour / month").register(registry);
        quotaLimit = MultiGauge.builder("mailroom_quota_limit")
                .description("a sender's configured hourly / monthly limit").register(registry);
        quotaRemaining = MultiGauge.builder("mailroom_quota_remaining")
                .description("messages a sender may still send this hour / month (month: the provider's figure when synced)")
                .register(registry);
        complaintRate = MultiGauge.builder("mailroom_sender_complaint_rate")
                .description("complaining addresses over messages sent in the last 7 days, per sender").register(registry);
        Gauge.builder("mailroom_complaint_rate_threshold", () -> complaintRateThreshold)
                .description("MAILROOM_COMPLAINT_RATE_ALERT: the complaint rate at which a sender is flagged")
                .strongReference(true).register(registry);
        Gauge.builder("mailroom_webhook_backlog", this, m -> m.reading.webhooks().pending())
                .description("webhook events not yet delivered (waiting, or retrying with backoff)").register(registry);
        Gauge.builder("mailroom_webhook_oldest_pending_seconds", this, WebMetrics::oldestWebhookAge)
                .baseUnit("seconds").description("age of the oldest undelivered webhook event (0 when none)")
                .register(registry);
        Gauge.builder("mailroom_sse_streams", openStreams, IntSupplier::getAsInt)
                .description("event streams this web process holds open (capped by MAILROOM_SSE_MAX_STREAMS)")
                .strongReference(true) // the supplier is a method reference nothing else holds
                .register(registry);
    }

    /** Called by Javalin's request logger after every request. */
    public void record(Context ctx, float millis, String route) {
        Timer.builder("http_server_requests").tag("method", ctx.method().name()).tag("route", route)
                .tag("status", Integer.toString(ctx.statusCode())).register(registry)
                .record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
    }

    public String scrape() {
        refreshIfDue();
        return registry.scrape();
    }

    /** Never read ({@code Long.MIN_VALUE}), or read {@code every} ago or longer. */
    private static boolean due(long readAt, long now, Duration every) {
        return readAt == Long.MIN_VALUE || now - readAt >= every.toNanos();
    }

    /** Scrapes come often (and from more than one Prometheus): the stores are read again only when due. */
    private synchronized void refreshIfDue() {
        long now = System.nanoTime();
        if (due(readAt, now, REFRESH)) {
            readAt = now;
            try {
                show(ops.read(clock.instant()));
            } catch (RuntimeException e) {
                log.warn("operational gauges not refreshed ({})", e.getClass().getSimpleName());
            }
        }
        if (due(ratesReadAt, now, REPUTATION_REFRESH)) {
            ratesReadAt = now;
            try {
                List<Row<?>> rows = new ArrayList<>();
                ops.complaintRates(clock.instant()).forEach((sender, rate) -> rows.add(Row.of(senderTag(sender), rate)));
                complaintRate.register(rows, true);
            } catch (RuntimeException e) {
                log.warn("complaint rates not refreshed ({})", e.getClass().getSimpleName());
            }
        }
    }

    private void show(Reading r) {
        reading = r;
        List<Row<?>> idle = new ArrayList<>();
        for (Processing p : r.processing()) {
            idle.add(Row.of(Tags.of("sender_id", Long.toString(p.senderId()), "campaign_id", Long.toString(p.campaignId())),
                    () -> secondsSince(p.lastProgressAt())));
        }
        processingIdle.register(idle, true);
        List<Row<?>> open = new ArrayList<>();
        for (Circuit c : r.circuits()) {
            open.add(Row.of(Tags.of("sender_id", Long.toString(c.senderId()), "domain", c.domain()),
                    () -> secondsSince(c.openedAt())));
        }
        circuitOpen.register(open, true);
        List<Row<?>> used = new ArrayList<>();
        List<Row<?>> limit = new ArrayList<>();
        List<Row<?>> remaining = new ArrayList<>();
        for (QuotaUse q : r.quotas()) {
            QuotaUsage u = q.usage();
            Tags hour = senderTag(q.senderId()).and("window", "hour");
            Tags month = senderTag(q.senderId()).and("window", "month");
            used.add(Row.of(hour, u.hourUsed()));
            used.add(Row.of(month, u.monthUsed()));
            limit.add(Row.of(hour, u.hourLimit()));
            limit.add(Row.of(month, u.monthLimit()));
            remaining.add(Row.of(hour, Math.max(0, u.hourLimit() - u.hourUsed())));
            remaining.add(Row.of(month, u.monthAvailable()));
        }
        quotaUsed.register(used, true);
        quotaLimit.register(limit, true);
        quotaRemaining.register(remaining, true);
    }

    private static Tags senderTag(long senderId) {
        return Tags.of("sender_id", Long.toString(senderId));
    }

    private double oldestWebhookAge() {
        Instant oldest = reading.webhooks().oldestCreatedAt();
        return oldest == null ? 0 : secondsSince(oldest);
    }

    private double secondsSince(Instant t) {
        return t == null ? 0 : Math.max(0, Duration.between(t, clock.instant()).toMillis() / 1000.0);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
