package dev.mailroom.web.metrics;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.db.postgres.JooqPollQueries;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The web process's Prometheus registry: JVM binders, HTTP request timers, queue depth by status, open circuits and event streams. */
public final class WebMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebMetrics.class);
    private static final long REFRESH_NANOS = 5_000_000_000L;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JooqPollQueries queries;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final IntSupplier openCircuits;
    private volatile Map<String, Integer> depth = Map.of();
    private volatile int circuits;
    private volatile long refreshedAt = System.nanoTime() - 2 * REFRESH_NANOS;

    /**
     * @param openCircuits how many routes (sender, recipient domain) have an open or half-open circuit
     * @param openStreams how many event streams this process holds open
     */
    public WebMetrics(JooqPollQueries queries, IntSupplier openCircuits, IntSupplier openStreams) {
        this.queries = queries;
        this.openCircuits = openCircuits;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        for (CampaignStatus s : CampaignStatus.values()) {
            Gauge.builder("mailroom_queue_depth", this, m -> m.depth(s.wire()))
                    .description("campaign_queue rows by status (refreshed at most every 5 s)")
                    .tag("status", s.wire()).register(registry);
        }
        Gauge.builder("mailroom_circuits_open", this, m -> m.refreshed().circuits)
                .description("routes (sender, recipient domain) whose circuit is open or half-open (refreshed at most every 5 s)")
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
        return registry.scrape();
    }

    private double depth(String status) {
        return refreshed().depth.getOrDefault(status, 0);
    }

    /** Scrapes come often; the figures behind the gauges are read again at most every 5 s. */
    private WebMetrics refreshed() {
        long now = System.nanoTime();
        if (now - refreshedAt > REFRESH_NANOS) {
            refreshedAt = now;
            try {
                depth = queries.depthByStatus();
                circuits = openCircuits.getAsInt();
            } catch (RuntimeException e) {
                log.warn("gauges not refreshed ({})", e.getClass().getSimpleName());
            }
        }
        return this;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
