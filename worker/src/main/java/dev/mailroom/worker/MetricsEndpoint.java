package dev.mailroom.worker;

import com.sun.net.httpserver.HttpServer;
import dev.mailroom.core.secret.MetricsToken;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The worker's Prometheus scrape at {@code /metrics} on MAILROOM_WORKER_METRICS_HOST (loopback unless told)
 * and MAILROOM_WORKER_METRICS_PORT (0: off); with MAILROOM_METRICS_TOKEN set, only for that bearer token
 * (401 otherwise), as on the web process.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer server;

    private MetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    /** Binds the JVM metrics to {@code registry} and serves it; {@code port} 0 or less: binds them, serves nothing. */
    public static MetricsEndpoint start(String host, int port, PrometheusMeterRegistry registry, MetricsToken token) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        if (port <= 0) return new MetricsEndpoint(null);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            server.createContext("/metrics", exchange -> {
                exchange.getResponseHeaders().add("X-Content-Type-Options", "nosniff");
                if (!token.permits(exchange.getRequestHeaders().getFirst("Authorization"))) {
                    exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                    exchange.sendResponseHeaders(401, -1);
                    exchange.close();
                    return;
                }
                byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return new MetricsEndpoint(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for metrics on " + host + ":" + port, e);
        }
    }

    @Override
    public void close() {
        if (server != null) server.stop(0);
    }
}
