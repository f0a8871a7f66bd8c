package dev.mailroom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The public HTTP API (shared/API.md), used as a black box with the admin key. */
public final class MailroomApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String auth;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public MailroomApi(String baseUrl, String adminKey) {
        this.base = baseUrl;
        this.auth = "Bearer " + adminKey;
    }

    /** GET /health/ready answered 200. */
    public boolean ready() {
        try {
            return send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).timeout(Duration.ofSeconds(3)).GET())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    public long createSender(String name, int smtpPort, long hourlyLimit, long monthlyLimit) throws IOException {
        return createSender(name, smtpPort, hourlyLimit, monthlyLimit, null, null);
    }

    /** A sender that logs in (SMTP AUTH) with {@code username}/{@code password}; null for none. */
    public long createSender(String name, int smtpPort, long hourlyLimit, long monthlyLimit, String username, String password)
            throws IOException {
        Map<String, Object> smtp = new LinkedHashMap<>();
        smtp.put("host", "127.0.0.1");
        smtp.put("port", smtpPort);
        smtp.put("tls", "none");
        smtp.put("username", username);
        smtp.put("password", password);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("from_email", "news@" + name + ".mailroom.test");
        body.put("from_name", "Mailroom " + name);
        body.put("smtp", smtp);
        body.put("hourly_limit", hourlyLimit);
        body.put("monthly_limit", monthlyLimit);
        body.put("window", null);
        return post("/api/senders", body).get("id").asLong();
    }

    /** POST /api/senders/{id}/dkim: the sender signs from now on with a new RSA-2048 key. */
    public JsonNode generateDkim(long senderId, String domain, String selector) throws IOException {
        return post("/api/senders/" + senderId + "/dkim", Map.of("domain", domain, "selector", selector));
    }

    public long createCampaign(String name, long senderId, MessageTemplate t) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("sender_id", senderId);
        body.put("subject", t.subject());
        body.put("html", t.html());
        body.put("text", t.text());
        body.put("recipients", java.util.List.of());
        return post("/api/campaigns", body).get("id").asLong();
    }

    /** Streams a CSV file (text/csv) into the campaign; the server COPYs it. */
    public JsonNode uploadCsv(long campaignId, Path csv) throws IOException {
        return json(HttpRequest.newBuilder(uri("/api/campaigns/" + campaignId + "/recipients"))
                .timeout(Duration.ofMinutes(10)).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofFile(csv)));
    }

    public JsonNode queue(long campaignId) throws IOException {
        return post("/api/campaigns/" + campaignId + "/queue", null);
    }

    public JsonNode controls(long campaignId, Map<String, Object> controls) throws IOException {
        return patch("/api/campaigns/" + campaignId + "/controls", controls);
    }

    public JsonNode progress(long campaignId) throws IOException {
        return json(HttpRequest.newBuilder(uri("/api/campaigns/" + campaignId + "/progress"))
                .timeout(Duration.ofSeconds(10)).GET());
    }

    public JsonNode cancel(long campaignId) throws IOException {
        return post("/api/campaigns/" + campaignId + "/cancel", null);
    }

    /** GET /api/senders/{id}: the sender as the API shows it ({@code last_error}, never the password). */
    public JsonNode sender(long senderId) throws IOException {
        return get("/api/senders/" + senderId);
    }

    /** PATCH /api/senders/{id}: the fields given replace the stored ones; {@code smtp} merges field by field. */
    public JsonNode patchSender(long senderId, Map<String, Object> fields) throws IOException {
        return patch("/api/senders/" + senderId, fields);
    }

    /** GET /api/circuits?sender_id=: the sender's open and half-open routes ({@code items}). */
    public JsonNode circuits(long senderId) throws IOException {
        return get("/api/circuits?sender_id=" + senderId);
    }

    /** The poll request, sent many times over by {@link PollLoad}. */
    KeepAliveGet pollClient(long senderId) {
        return new KeepAliveGet(uri("/api/poll?sender_id=" + senderId), auth, 10_000);
    }

    /**
     * A read the service answered 503 (a store it needs did not answer in time: Redis failing over, a stall on
     * a loaded machine) is asked again, a few times, after the Retry-After it gave: what the harness checks
     * is the service's state, which a momentary 503 does not change.
     */
    private JsonNode get(String path) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return json(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET());
            } catch (Unavailable e) {
                if (attempt == READ_ATTEMPTS) throw e;
                pause(e.retryAfterSeconds);
            }
        }
    }

    private JsonNode patch(String path, Object body) throws IOException {
        return json(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private JsonNode post(String path, Object body) throws IOException {
        var b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
        if (body == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        return json(b);
    }

    private JsonNode json(HttpRequest.Builder b) throws IOException {
        HttpResponse<String> r = send(b.header("Authorization", auth));
        if (r.statusCode() == 503) {
            throw new Unavailable(r.request().method() + " " + r.request().uri().getPath() + " -> 503: " + r.body(),
                    r.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L));
        }
        if (r.statusCode() / 100 != 2) {
            throw new IOException(r.request().method() + " " + r.request().uri().getPath() + " -> " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static final int READ_ATTEMPTS = 5;

    /** The service said 503: try again after {@code retryAfterSeconds}. */
    private static final class Unavailable extends IOException {
        final long retryAfterSeconds;

        Unavailable(String message, long retryAfterSeconds) {
            super(message);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private static void pause(long seconds) throws IOException {
        try {
            Thread.sleep(Duration.ofSeconds(Math.max(1, seconds)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }
}
