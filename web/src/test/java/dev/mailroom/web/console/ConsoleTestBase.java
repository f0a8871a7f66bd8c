package dev.mailroom.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.db.postgres.JooqApiKeyStore;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.web.TestApp;
import dev.mailroom.web.auth.ApiKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real web app (shared with the API tests) against real PostgreSQL and Redis, wiped before each
 * test, and one headless Chromium per test class. Fresh keys for each role; data is seeded through the
 * HTTP API, and what a worker would do is simulated in SQL ({@link Simulated}): the web module has no
 * SMTP on its class path (I1).
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
abstract class ConsoleTestBase {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final AtomicLong KEY_IDS = new AtomicLong(1000);

    static Browser browser;
    String admin;
    String operator;
    String viewer;

    @BeforeAll
    static void startBrowser() {
        browser = new Browser(TestApp.base());
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) browser.close();
        browser = null;
    }

    @BeforeEach
    void keysAndFreshTab() {
        // Each test's keys get ids no earlier test's key had (the wipe restarts the ids): the web app counts open
        // event streams per key id, and a page the last test left open holds its slot until a keep-alive write
        // finds it gone — a 429 for this test's pages otherwise.
        dsl().execute("select setval(pg_get_serial_sequence('api_key', 'id'), ?)", KEY_IDS.addAndGet(10));
        JooqApiKeyStore store = new JooqApiKeyStore(dsl());
        admin = key(store, "Ada Admin", "admin");
        operator = key(store, "Olga Operator", "operator");
        viewer = key(store, "Victor Viewer", "viewer");
        browser.size(1280, 800);
        browser.open("health/live"); // same origin, no console script: forget the last test's key and settings quietly
        browser.js("sessionStorage.clear(); localStorage.clear();");
        browser.severeLogs(); // start each test with an empty console
    }

    private static String key(JooqApiKeyStore store, String name, String role) {
        String key = ApiKeys.generate();
        store.create(name, role, ApiKeys.hash(key));
        return key;
    }

    static DSLContext dsl() {
        return TestApp.db().dsl();
    }

    // ---- the HTTP API, for seeding ----

    JsonNode call(String method, String path, String key, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestApp.base() + path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json");
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method + " " + path + " → " + r.body()).isBetween(200, 299);
            return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    long createSender(String name, String fromEmail, Map<String, Object> window, int hourly) {
        Map<String, Object> smtp = new LinkedHashMap<>();
        smtp.put("host", "smtp.example.com");
        smtp.put("port", 587);
        smtp.put("tls", "starttls");
        smtp.put("username", "mailer");
        smtp.put("password", "secret-pw");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("from_email", fromEmail);
        body.put("from_name", "Example Store");
        body.put("smtp", smtp);
        body.put("hourly_limit", hourly);
        body.put("monthly_limit", 15000);
        body.put("window", window);
        return call("POST", "/api/senders", admin, body).get("id").asLong();
    }

    static Map<String, Object> moscowOfficeHours() {
        return Map.of("start", "09:00", "end", "18:00", "timezone", "Europe/Moscow", "days", List.of(1, 2, 3, 4, 5));
    }

    long createCampaign(long senderId, String name, String subject, int recipients) {
        List<Map<String, Object>> list = new ArrayList<>();
        String[] names = {"Ann", "Boris", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana", "Ivan", "Jules"};
        for (int i = 0; i < recipients; i++) {
            String n = names[i % names.length];
            list.add(Map.of("email", n.toLowerCase() + (i + 1) + "@example.com", "name", n, "vars", Map.of("plan", i % 3 == 0 ? "pro" : "free")));
        }
        Map<String, Object> body = Map.of("name", name, "sender_id", senderId, "subject", subject,
                "html", "<p>Hi {{name}}, your {{vars.plan}} plan has news.</p>", "text", "Hi {{name}}", "recipients", list);
        return call("POST", "/api/campaigns", operator, body).get("id").asLong();
    }

    void lifecycle(long campaignId, String action) {
        call("POST", "/api/campaigns/" + campaignId + "/" + action, operator, null);
    }

    /** The ids {@link #seedRealistic()} made: two senders and a campaign in each state the pages show. */
    record Seeded(long mainSender, long txSender, long november, long friday, long october, long promo) {}

    /**
     * A week's worth of data: a Moscow-hours newsletter sender and a transactional one; campaigns finished,
     * finished with errors, sending now, deferred by the hourly limit, paused, queued and a draft; three suppressions.
     */
    Seeded seedRealistic() {
        Simulated sim = new Simulated(dsl());
        long main = createSender("Main newsletter", "news@shop.example", moscowOfficeHours(), 500);
        long tx = createSender("Transactional", "hello@shop.example", null, 2000);

        long welcome = createCampaign(tx, "Welcome series — step 1", "Welcome aboard, {{name}}", 40);
        lifecycle(welcome, "queue");
        sim.settle(welcome, 40, "sent").finished(welcome, "sent");

        long october = createCampaign(main, "October digest", "What happened in October", 60);
        lifecycle(october, "queue");
        sim.settle(october, 55, "sent").settle(october, 4, "failed").settle(october, 1, "uncertain")
                .finished(october, "completed_with_errors");

        long november = createCampaign(main, "November news", "Hello {{name}}, November is here", 240);
        lifecycle(november, "queue");
        sim.settle(november, 131, "sent").settle(november, 3, "failed").settle(november, 1, "uncertain")
                .earlierTransientAttempt(november).processing(november);

        long friday = createCampaign(main, "Black Friday preview", "{{name}}, early access starts now", 120);
        lifecycle(friday, "queue");
        sim.deferred(friday, "rate_hour", OffsetDateTime.now().truncatedTo(ChronoUnit.HOURS).plusHours(1));

        long promo = createCampaign(tx, "Spring promo (on hold)", "Spring is coming", 30);
        lifecycle(promo, "queue");
        lifecycle(promo, "pause");

        long next = createCampaign(tx, "Order follow-up", "How was your order, {{name}}?", 25);
        lifecycle(next, "queue");

        createCampaign(main, "December plans", "Plans for December", 12);

        call("POST", "/api/suppressions", operator, Map.of("email", "bounced@example.com", "reason", "hard_bounce"));
        call("POST", "/api/suppressions", operator, Map.of("email", "angry@example.com", "reason", "complaint"));
        call("POST", "/api/suppressions", operator, Map.of("email", "left@example.com", "reason", "unsubscribe"));
        return new Seeded(main, tx, november, friday, october, promo);
    }
}
