package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailroom.core.circuit.CircuitBreakers;
import dev.mailroom.core.circuit.CircuitRule;
import dev.mailroom.core.quota.SenderQuota;
import dev.mailroom.core.secret.MetricsToken;
import dev.mailroom.db.postgres.JooqDomainHistory;
import dev.mailroom.db.postgres.JooqSendLedger;
import dev.mailroom.db.redis.RedisCircuitBreakers;
import dev.mailroom.db.redis.RedisQuotaGate;
import dev.mailroom.web.sse.StreamLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * The series the alert rules (deploy/prometheus/alerts.yml) are built on, scraped from a real web process: a
 * stalled processing campaign, a long-open circuit, quota use per sender, the complaint rate against its
 * threshold, and the webhook backlog. Each test starts its own app, so its first scrape reads the stores now
 * rather than whatever the shared app's gauges cached.
 */
class OpsMetricsApiTest extends WebTestBase {

    @Test
    void a_processing_campaign_shows_how_long_since_its_last_batch_and_a_queued_one_does_not() {
        long sender = createSender("main");
        long stalled = createCampaign(sender, "a@example.com");
        long waiting = createCampaign(sender, "b@example.com");
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "processing")
                .set(CAMPAIGN_QUEUE.CLAIMED_AT, DSL.field("now() - interval '25 minutes'", CAMPAIGN_QUEUE.CLAIMED_AT.getType()))
                .set(CAMPAIGN_QUEUE.LAST_BATCH_AT, DSL.field("now() - interval '20 minutes'", CAMPAIGN_QUEUE.LAST_BATCH_AT.getType()))
                .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(stalled)).execute();
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "queued").where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(waiting)).execute();

        String text = scrapeFreshApp();
        assertThat(value(text, "mailroom_processing_idle_seconds", Map.of("sender_id", sender, "campaign_id", stalled)))
                .as("the last batch began 20 minutes ago").isCloseTo(1200, within(30.0));
        assertThat(text).doesNotContain("campaign_id=\"" + waiting + "\"");
        assertThat(value(text, "mailroom_queue_depth", Map.of("status", "processing"))).isEqualTo(1);
        assertThat(value(text, "mailroom_queue_depth", Map.of("status", "queued"))).isEqualTo(1);
    }

    @Test
    void a_claim_newer_than_the_last_batch_counts_as_progress() {
        long sender = createSender("main");
        long campaign = createCampaign(sender, "a@example.com");
        // Deferred for hours, then claimed again a minute ago: the campaign is not stuck.
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "processing")
                .set(CAMPAIGN_QUEUE.CLAIMED_AT, DSL.field("now() - interval '1 minute'", CAMPAIGN_QUEUE.CLAIMED_AT.getType()))
                .set(CAMPAIGN_QUEUE.LAST_BATCH_AT, DSL.field("now() - interval '5 hours'", CAMPAIGN_QUEUE.LAST_BATCH_AT.getType()))
                .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaign)).execute();

        assertThat(value(scrapeFreshApp(), "mailroom_processing_idle_seconds", Map.of("sender_id", sender, "campaign_id", campaign)))
                .isCloseTo(60, within(30.0));
    }

    /** Seen failing before the circuit kept its first opening: each failed probe restarted the clock. */
    @Test
    void a_circuit_shows_how_long_it_has_been_open_and_a_failed_probe_does_not_restart_it() {
        long sender = createSender("main");
        CircuitBreakers breakers = new RedisCircuitBreakers(TestApp.redis(), new JooqDomainHistory(dsl()), CircuitRule.DEFAULT);
        Instant now = Instant.now();
        breakers.record(sender, Map.of("down.example", refusals(20)), now.minus(Duration.ofHours(1)));
        // Half-open after its cool-down: the probe is refused, and the route opens again.
        breakers.record(sender, Map.of("down.example", refusals(1)), now.minus(Duration.ofMinutes(1)));

        Api.Res list = Api.get("/api/circuits", viewer);
        var circuit = list.get("items").get(0);
        assertThat(circuit.get("state").asText()).isEqualTo("open");
        assertThat(Instant.parse(circuit.get("opened_at").asText())).isEqualTo(now.minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(Instant.parse(circuit.get("until").asText())).isAfter(now);

        String text = scrapeFreshApp();
        assertThat(value(text, "mailroom_circuit_open_seconds", Map.of("sender_id", sender, "domain", "down.example")))
                .isCloseTo(3600, within(30.0));
        assertThat(value(text, "mailroom_circuits_open", Map.of())).isEqualTo(1);
    }

    @Test
    void quota_use_per_sender_shows_the_hour_and_the_month_against_their_limits() {
        long sender = createSender("main"); // 100 an hour, 15000 a month
        long idle = createSender("idle");
        Instant now = Instant.now();
        new RedisQuotaGate(TestApp.redis(), new JooqSendLedger(dsl()))
                .reserve(new SenderQuota(sender, 100, 15_000, ZoneOffset.UTC, null, null), 40, now);

        String text = scrapeFreshApp();
        assertThat(value(text, "mailroom_quota_used", Map.of("sender_id", sender, "window", "hour"))).isEqualTo(40);
        assertThat(value(text, "mailroom_quota_used", Map.of("sender_id", sender, "window", "month"))).isEqualTo(40);
        assertThat(value(text, "mailroom_quota_limit", Map.of("sender_id", sender, "window", "hour"))).isEqualTo(100);
        assertThat(value(text, "mailroom_quota_limit", Map.of("sender_id", sender, "window", "month"))).isEqualTo(15_000);
        assertThat(value(text, "mailroom_quota_remaining", Map.of("sender_id", sender, "window", "hour"))).isEqualTo(60);
        assertThat(value(text, "mailroom_quota_remaining", Map.of("sender_id", sender, "window", "month"))).isEqualTo(14_960);
        assertThat(value(text, "mailroom_quota_used", Map.of("sender_id", idle, "window", "hour"))).isZero();
    }

    @Test
    void each_sender_s_complaint_rate_is_exported_beside_the_threshold_as_the_reputation_endpoint_counts_it() {
        long loud = createSender("loud");
        long calm = createSender("calm");
        long loudCampaign = createCampaign(loud, "a@example.com");
        long calmCampaign = createCampaign(calm, "b@example.com");
        sent(loud, 1000);
        sent(calm, 1000);
        for (int i = 0; i < 4; i++) complaint(loud, loudCampaign, "c" + i + "@example.com", "1 day");
        complaint(loud, loudCampaign, "old@example.com", "8 days"); // outside the window
        complaint(calm, calmCampaign, "x@example.com", "1 day");

        String text = scrapeFreshApp();
        assertThat(value(text, "mailroom_sender_complaint_rate", Map.of("sender_id", loud))).isCloseTo(0.004, within(1e-9));
        assertThat(value(text, "mailroom_sender_complaint_rate", Map.of("sender_id", calm))).isCloseTo(0.001, within(1e-9));
        assertThat(value(text, "mailroom_complaint_rate_threshold", Map.of())).isEqualTo(0.003);
        assertThat(Api.get("/api/senders/" + loud + "/reputation", viewer).get("complaint_rate").asDouble())
                .isCloseTo(0.004, within(1e-9));
    }

    @Test
    void the_webhook_backlog_counts_undelivered_events_and_the_age_of_the_oldest() {
        assertThat(value(scrapeFreshApp(), "mailroom_webhook_backlog", Map.of())).isZero();
        long endpoint = dsl().resultQuery("insert into webhook_endpoint (url, secret) values ('https://crm.internal/hook', 'sealed') returning id")
                .fetchOne(0, Long.class);
        outbox(endpoint, "pending", 3, "10 minutes");
        outbox(endpoint, "pending", 2, "1 minute");
        outbox(endpoint, "delivered", 5, "30 minutes");
        outbox(endpoint, "failed", 1, "2 hours");

        String text = scrapeFreshApp();
        assertThat(value(text, "mailroom_webhook_backlog", Map.of())).isEqualTo(5);
        assertThat(value(text, "mailroom_webhook_oldest_pending_seconds", Map.of())).isCloseTo(600, within(30.0));
    }

    @Test
    void the_gauges_read_the_stores_at_most_every_few_seconds_not_on_every_scrape() {
        WebApp app = freshApp();
        try {
            String base = "http://127.0.0.1:" + app.port();
            long start = System.nanoTime();
            assertThat(value(scrape(base), "mailroom_queue_depth", Map.of("status", "queued"))).isZero();
            long sender = createSender("main");
            createCampaign(sender, "a@example.com");
            dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "queued").execute();
            String second = scrape(base);
            // Only meaningful while the 5 s interval has not passed (a very slow machine could get there).
            assumeTrue(System.nanoTime() - start < Duration.ofSeconds(4).toNanos(), "the refresh interval passed");
            assertThat(value(second, "mailroom_queue_depth", Map.of("status", "queued")))
                    .as("within the refresh interval the previous reading stands").isZero();
        } finally {
            app.stop();
        }
    }

    private static CircuitBreakers.RouteResults refusals(int n) {
        Set<Long> failed = new HashSet<>();
        for (long r = 1; r <= n; r++) failed.add(r);
        return new CircuitBreakers.RouteResults(Set.of(), failed, "554 5.7.1 Message rejected as spam");
    }

    private static void sent(long sender, int n) {
        dsl().execute("insert into delivery_attempt (sender_id, attempt_no, outcome, worker_id, attempted_at) "
                + "select ?, 1, 'sent', 'w1', now() - interval '1 hour' from generate_series(1, ?)", sender, n);
    }

    private static void complaint(long sender, long campaign, String email, String ago) {
        dsl().execute("insert into bounce_event (email, type, sender_id, campaign_id, created_at)"
                + " values (?, 'complaint', ?, ?, now() - ?::interval)", email, sender, campaign, ago);
    }

    private static void outbox(long endpoint, String status, int n, String ago) {
        dsl().execute("insert into webhook_outbox (endpoint_id, event, payload, status, created_at) "
                + "select ?, 'delivered', '{}', ?, now() - ?::interval from generate_series(1, ?)", endpoint, status, ago, n);
    }

    private static WebApp freshApp() {
        return WebApp.create(TestApp.deps(TestApp.csvLimits(), StreamLimits.DEFAULT, MetricsToken.NONE)).start("127.0.0.1", 0);
    }

    private static String scrapeFreshApp() {
        WebApp app = freshApp();
        try {
            return scrape("http://127.0.0.1:" + app.port());
        } finally {
            app.stop();
        }
    }

    private static String scrape(String base) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})? (\\S+)$");

    /** The value of the one sample of {@code name} whose labels include {@code labels}. */
    private static double value(String text, String name, Map<String, Object> labels) {
        Double found = null;
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals(name)) continue;
            String have = m.group(3) == null ? "" : m.group(3);
            boolean all = labels.entrySet().stream().allMatch(e -> have.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (!all) continue;
            assertThat(found).as("one sample of %s%s in%n%s", name, labels, text).isNull();
            found = Double.parseDouble(m.group(4));
        }
        assertThat(found).as("a sample of %s%s in%n%s", name, labels, text).isNotNull();
        return found;
    }
}
