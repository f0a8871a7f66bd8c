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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The web process's Prometheus registry: JVM binders, HTTP request timers and queue depth by status. */
public final class WebMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebMetrics.class);
    private static final long REFRESH_NANOS = 5_000_000_000L;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JooqPollQueries queries;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private volatile Map<String, Integer> depth = Map.of();
    private volatile long depthAt = System.nanoTime() - 2 * REFRESH_NANOS;

    public WebMetrics(JooqPollQueries queries) {
        this.queries = queries;
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
        long now = System.nanoTime();
        if (now - depthAt > REFRESH_NANOS) {
            depthAt = now;
            try {
                depth = queries.depthByStatus();
            } catch (RuntimeException e) {
                log.warn("queue depth not refreshed ({})", e.getClass().getSimpleName());
            }
        }
        return depth.getOrDefault(status, 0);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
