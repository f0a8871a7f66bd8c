package dev.mailroom.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.testkit.TestServices;
import dev.mailroom.web.WebMain;
import dev.mailroom.worker.MetricsEndpoint;
import dev.mailroom.worker.Worker;
import dev.mailroom.worker.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole Mailroom in one JVM: the real web process and workers, talking through the test services, all
 * reading now from one clock. Sender locks have a long lease, so a stall of a busy machine cannot fake a
 * dead worker; the reconciler is off, so a counter drift shows instead of being repaired behind the test.
 */
final class Mailroom implements AutoCloseable {
    static final String ADMIN_KEY = "it-admin-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Clock clock;
    private final Map<String, String> extraEnv;
    private final WebMain.Running web;
    private final java.util.List<Worker> workers = new java.util.ArrayList<>();
    private final java.util.List<MetricsEndpoint> metricsEndpoints = new java.util.ArrayList<>();

    Mailroom() {
        this(Clock.systemUTC());
    }

    /** With a settable clock, quota hours and deferrals are the test's, whatever the wall clock does. */
    Mailroom(Clock clock) {
        this(clock, Map.of());
    }

    /** With settings of its own ({@code extraEnv}) for the web process and every worker. */
    Mailroom(Clock clock, Map<String, String> extraEnv) {
        this.clock = clock;
        this.extraEnv = Map.copyOf(extraEnv);
        Map<String, String> webEnv = new HashMap<>(extraEnv);
        webEnv.putAll(Map.of("MAILROOM_HTTP_PORT", "0", "MAILROOM_HTTP_HOST", "127.0.0.1", "MAILROOM_ADMIN_KEY", ADMIN_KEY));
        web = WebMain.start(env(webEnv), clock);
    }

    static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(TestServices.mainEnvironment(Map.of(
                "MAILROOM_SCAN_INTERVAL_MS", "200", "MAILROOM_LOCK_LEASE_MS", "30000", "MAILROOM_SMTP_TIMEOUT_MS", "30000",
                "MAILROOM_RECONCILE_INTERVAL_MS", Integer.toString(Integer.MAX_VALUE))));
        env.putAll(extra);
        return env;
    }

    Mailroom worker(String id, Map<String, String> extra) {
        Map<String, String> e = new HashMap<>(extraEnv);
        e.putAll(extra);
        e.put("MAILROOM_WORKER_ID", id);
        Worker w = new Worker(WorkerConfig.fromEnvironment(env(e)), clock, new SimpleMeterRegistry());
        w.start();
        workers.add(w);
        return this;
    }

    /**
     * A worker as {@code scripts/mailroom worker} runs it with MAILROOM_WORKER_METRICS_PORT set: a Prometheus
     * registry served at /metrics on that port.
     */
    Mailroom workerWithMetrics(String id, Map<String, String> extra) {
        Map<String, String> e = new HashMap<>(extraEnv);
        e.putAll(extra);
        e.put("MAILROOM_WORKER_ID", id);
        WorkerConfig config = WorkerConfig.fromEnvironment(env(e));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metricsEndpoints.add(MetricsEndpoint.start(config.metricsHost(), config.metricsPort(), registry, config.metricsToken()));
        Worker w = new Worker(config, clock, registry);
        w.start();
        workers.add(w);
        return this;
    }

    JsonNode get(String path) {
        return send(request(path).GET().build());
    }

    JsonNode post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** An answer that may be an error: its status and body. */
    record Answer(int status, JsonNode body) {}

    /** A POST whose answer the test looks at, error or not. */
    Answer attempt(String path, String json) {
        try {
            HttpResponse<String> res = HTTP.send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(res.statusCode(), res.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(res.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode postCsv(String path, String csv) {
        return send(request(path).header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv)).build());
    }

    long sender(int smtpPort, int hourlyLimit) {
        return post("/api/senders", """
                {"name": "s%d", "from_email": "news@example.com", "from_name": "Example",
                 "smtp": {"host": "127.0.0.1", "port": %d, "tls": "none", "username": null, "password": null},
                 "hourly_limit": %d, "monthly_limit": 1000000, "window": null}""".formatted(System.nanoTime(), smtpPort, hourlyLimit))
                .get("id").asLong();
    }

    /** A sender that logs in (SMTP AUTH) with {@code username}/{@code password}, as the API is given them. */
    JsonNode senderWithLogin(int smtpPort, String username, String password) {
        return post("/api/senders", """
                {"name": "s%d", "from_email": "news@example.com", "from_name": "Example",
                 "smtp": {"host": "127.0.0.1", "port": %d, "tls": "none", "username": "%s", "password": "%s"},
                 "hourly_limit": 100000, "monthly_limit": 1000000, "window": null}"""
                .formatted(System.nanoTime(), smtpPort, username, password));
    }

    /** A queued campaign of {@code n} recipients r0..r(n-1)@example.org uploaded as CSV, with the given batch size. */
    long queuedCampaign(long senderId, int n, int batchSize) {
        return queuedCampaign(senderId, n, batchSize, "example.org");
    }

    long queuedCampaign(long senderId, int n, int batchSize, String domain) {
        long id = post("/api/campaigns", """
                {"name": "it", "sender_id": %d, "subject": "Hello {{name}}", "text": "Hi {{name}}", "recipients": []}"""
                .formatted(senderId)).get("id").asLong();
        StringBuilder csv = new StringBuilder("email,name\n");
        for (int i = 0; i < n; i++) csv.append("r").append(i).append('@').append(domain).append(",R").append(i).append('\n');
        postCsv("/api/campaigns/" + id + "/recipients", csv.toString());
        send(request("/api/campaigns/" + id + "/controls").header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"batch_size\": " + batchSize + "}")).build());
        post("/api/campaigns/" + id + "/queue", "");
        return id;
    }

    /** Where the web process listens, e.g. for a browser. */
    String base() {
        return "http://127.0.0.1:" + web.app().port();
    }

    JsonNode progress(long campaignId) {
        return get("/api/campaigns/" + campaignId + "/progress");
    }

    /** Follows the campaign's live events over the SSE endpoint; subscribed when this returns. */
    LiveFeed follow(long campaignId) {
        return LiveFeed.open(request("/api/campaigns/" + campaignId + "/events").timeout(Duration.ofMinutes(10))
                .header("Accept", "text/event-stream").GET().build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.app().port() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + ADMIN_KEY);
    }

    private static JsonNode send(HttpRequest r) {
        try {
            HttpResponse<String> res = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() >= 400) throw new AssertionError(r.method() + " " + r.uri() + " → " + res.statusCode() + " " + res.body());
            return res.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        workers.forEach(Worker::close);
        metricsEndpoints.forEach(MetricsEndpoint::close);
        web.close();
    }
}
