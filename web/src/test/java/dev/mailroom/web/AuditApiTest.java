package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.API_KEY;
import static dev.mailroom.db.generated.Tables.AUDIT_EVENT;
import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.core.circuit.CircuitBreakers;
import dev.mailroom.core.circuit.CircuitRule;
import dev.mailroom.db.postgres.JooqDomainHistory;
import dev.mailroom.db.redis.RedisCircuitBreakers;
import dev.mailroom.web.auth.ApiKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** GET /api/audit: each change made through the API leaves who, what, when and on what — and no secret. */
class AuditApiTest extends WebTestBase {
    private static final String SMTP_PASSWORD = "smtp-Pa55-audit-1";
    private static final String NEW_SMTP_PASSWORD = "smtp-Pa55-audit-2";
    private static final String WEBHOOK_SECRET = "webhook-secret-audit";
    private static final String WEBHOOK_TOKEN = "T0KEN-in-the-path-audit";
    private static final String IMAP_PASSWORD = "imap-Pa55-audit";

    @Test
    void a_suppression_removed_through_the_api_shows_who_removed_which_address_and_when() {
        Instant before = Instant.now().minusSeconds(1);
        assertThat(Api.post("/api/suppressions", operator, "{\"email\": \"Gone@Example.org\", \"reason\": \"manual\"}").status())
                .isEqualTo(201);
        assertThat(Api.delete("/api/suppressions/gone@example.org", admin).status()).isEqualTo(204);

        List<JsonNode> items = items(Api.get("/api/audit?target_type=suppression&target_id=gone@example.org", admin));
        assertThat(items).extracting(i -> i.get("action").asText()).containsExactly("suppression.remove", "suppression.add");
        JsonNode removed = items.get(0);
        assertThat(removed.get("key_id").asLong()).isEqualTo(keyId(admin));
        assertThat(removed.get("key_name").asText()).isEqualTo("test admin");
        assertThat(removed.get("target_type").asText()).isEqualTo("suppression");
        assertThat(removed.get("target_id").asText()).isEqualTo("gone@example.org");
        assertThat(Instant.parse(removed.get("at").asText())).isBetween(before, Instant.now().plusSeconds(1));
        JsonNode added = items.get(1);
        assertThat(added.get("key_name").asText()).isEqualTo("test operator");
        assertThat(added.get("detail").get("reason").asText()).isEqualTo("manual");
    }

    @Test
    void every_kind_of_change_is_recorded_and_no_secret_reaches_the_trail() throws Exception {
        long sender = createSender("main");
        var patch = Map.of("hourly_limit", 50, "smtp", Map.of("password", NEW_SMTP_PASSWORD));
        ok(Api.patch("/api/senders/" + sender, admin, Api.json(patch)), 200);
        String pem = pem();
        ok(Api.patch("/api/senders/" + sender, admin, Api.json(Map.of("from_email", "news@example.com",
                "dkim", Map.of("domain", "example.com", "selector", "imported", "private_key", pem)))), 200);
        ok(Api.post("/api/senders/" + sender + "/dkim", admin, "{\"domain\": \"example.com\", \"selector\": \"mr2\"}"), 200);
        ok(Api.post("/api/senders/" + sender + "/quota-sync", operator,
                "{\"remaining\": 9000, \"synced_at\": \"2026-01-01T00:00:00Z\"}"), 200);
        ok(Api.put("/api/senders/" + sender + "/bounce-mailbox", admin, """
                {"domain": "bounces.example.com", "imap": {"host": "imap.example.com", "username": "reader",
                 "password": "%s"}}""".formatted(IMAP_PASSWORD)), 200);
        ok(Api.delete("/api/senders/" + sender + "/bounce-mailbox", admin), 204);
        long hook = ok(Api.post("/api/webhooks", admin, Api.json(Map.of("url", "https://hooks.example.net/services/"
                + WEBHOOK_TOKEN + "?token=" + WEBHOOK_TOKEN, "secret", WEBHOOK_SECRET, "events", List.of("delivered")))), 201)
                .get("id").asLong();
        ok(Api.delete("/api/webhooks/" + hook, admin), 204);
        JsonNode created = ok(Api.post("/api/keys", admin, "{\"name\": \"ci\", \"role\": \"viewer\"}"), 201);
        String newKey = created.get("key").asText();
        ok(Api.delete("/api/keys/" + created.get("id").asLong(), admin), 204);

        long campaign = createCampaign(sender, "a@example.org");
        ok(Api.patch("/api/campaigns/" + campaign + "/controls", operator, "{\"batch_size\": 10}"), 200);
        ok(Api.patch("/api/campaigns/" + campaign, operator, "{\"send_at\": \"2030-01-01T00:00:00Z\"}"), 200);
        ok(Api.post("/api/campaigns/" + campaign + "/queue", operator, ""), 200);
        ok(Api.post("/api/campaigns/" + campaign + "/pause", operator, ""), 200);
        makeUncertain(campaign); // as a worker that lost its connection mid-message would
        for (String move : List.of("retry-uncertain", "retry-failed", "resume", "cancel")) {
            ok(Api.post("/api/campaigns/" + campaign + "/" + move, operator, ""), 200);
        }
        openCircuit(sender);
        ok(Api.delete("/api/circuits/" + sender + "/down.example", operator), 204);

        Api.Res trail = Api.get("/api/audit?limit=1000", admin);
        assertThat(trail.status()).as(trail.toString()).isEqualTo(200);
        List<JsonNode> items = items(trail);
        assertThat(items).extracting(i -> i.get("action").asText()).containsExactly(
                "circuit.close", "campaign.cancel", "campaign.resume", "campaign.retry_failed",
                "campaign.retry_uncertain", "campaign.pause", "campaign.queue", "campaign.schedule", "campaign.controls", "key.revoke", "key.create",
                "webhook.delete", "webhook.create", "bounce_mailbox.delete", "bounce_mailbox.set", "sender.quota_sync",
                "sender.dkim_generate", "sender.update", "sender.update", "sender.create");
        assertThat(items).extracting(i -> i.get("id").asLong()).isSortedAccordingTo((a, b) -> Long.compare(b, a));

        JsonNode passwordChange = items.get(18);
        assertThat(passwordChange.get("target_id").asText()).isEqualTo(Long.toString(sender));
        assertThat(passwordChange.get("detail").get("changed")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("hourly_limit", "smtp.password");
        assertThat(items.get(17).get("detail").get("changed")).as("from_email given unchanged")
                .extracting(JsonNode::asText).containsExactly("dkim");
        assertThat(items.get(16).get("detail").get("changed")).extracting(JsonNode::asText).containsExactly("dkim");
        assertThat(items.get(12).get("detail").get("host").asText()).isEqualTo("hooks.example.net");
        assertThat(items.get(14).get("detail").get("password_changed").asBoolean()).isTrue();
        assertThat(items.get(3).get("detail").get("retried").asInt()).isZero();
        assertThat(items.get(3).get("detail").get("status").asText()).isEqualTo("paused");
        assertThat(items.get(0).get("target_id").asText()).isEqualTo(sender + "/down.example");
        assertThat(items.get(0).get("key_name").asText()).isEqualTo("test operator");
        assertThat(items.get(6).get("detail").get("status").asText()).as("queued before its send_at").isEqualTo("deferred");
        assertThat(items.get(7).get("detail").get("send_at").asText()).isEqualTo("2030-01-01T00:00:00Z");
        assertThat(items.get(8).get("detail").get("batch_size").asInt()).isEqualTo(10);

        List<String> secrets = List.of(SMTP_PASSWORD, NEW_SMTP_PASSWORD, WEBHOOK_SECRET, WEBHOOK_TOKEN, IMAP_PASSWORD,
                newKey, ApiKeys.hash(newKey), admin, operator, "PRIVATE KEY", pem.lines().skip(1).findFirst().orElseThrow(), "v1:");
        String stored = String.join("\n", dsl().select(AUDIT_EVENT.DETAIL).from(AUDIT_EVENT).fetch(r -> r.value1().data()));
        for (String secret : secrets) {
            assertThat(trail.text()).as("the trail shows %s", secret).doesNotContain(secret);
            assertThat(stored).as("the trail stores %s", secret).doesNotContain(secret);
        }
    }

    @Test
    void a_refused_or_failed_change_leaves_no_row() {
        long sender = createSender("main");
        long campaign = createCampaign(sender, "a@example.org");
        int before = dsl().fetchCount(AUDIT_EVENT);
        ok(Api.post("/api/campaigns/" + campaign + "/pause", operator, ""), 409);
        ok(Api.delete("/api/suppressions/nobody@example.org", operator), 404);
        ok(Api.delete("/api/keys/" + keyId(admin), admin), 409);
        ok(Api.post("/api/suppressions", viewer, "{\"email\": \"a@example.org\"}"), 403);
        ok(Api.patch("/api/senders/" + sender, admin, "{\"hourly_limit\": -1}"), 400);
        assertThat(dsl().fetchCount(AUDIT_EVENT)).isEqualTo(before);
    }

    @Test
    void the_trail_is_admin_only_newest_first_and_pages_with_a_cursor() {
        for (int i = 0; i < 5; i++) Api.post("/api/suppressions", operator, "{\"email\": \"s" + i + "@example.org\"}");
        assertThat(Api.get("/api/audit", operator).status()).isEqualTo(403);
        assertThat(Api.get("/api/audit", viewer).status()).isEqualTo(403);
        List<String> targets = new ArrayList<>();
        String cursor = null;
        do {
            Api.Res page = Api.get("/api/audit?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), admin);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.get("items").forEach(i -> targets.add(i.get("target_id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(targets).containsExactly("s4@example.org", "s3@example.org", "s2@example.org", "s1@example.org",
                "s0@example.org");
        assertThat(items(Api.get("/api/audit?key_id=" + keyId(admin), admin))).isEmpty();
        assertThat(items(Api.get("/api/audit?key_id=" + keyId(operator), admin))).hasSize(5);
        assertThat(Api.get("/api/audit?key_id=x", admin).status()).isEqualTo(400);
    }

    private static JsonNode ok(Api.Res r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r.json();
    }

    private static List<JsonNode> items(Api.Res r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.get("items").forEach(out::add);
        return out;
    }

    private static long keyId(String key) {
        return dsl().select(API_KEY.ID).from(API_KEY).where(API_KEY.KEY_HASH.eq(ApiKeys.hash(key))).fetchOne(API_KEY.ID);
    }

    private static void makeUncertain(long campaign) {
        dsl().update(CAMPAIGN_RECIPIENT).set(CAMPAIGN_RECIPIENT.STATUS, "uncertain")
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaign)).execute();
        dsl().update(CAMPAIGN).set(CAMPAIGN.PENDING, 0).set(CAMPAIGN.UNCERTAIN, 1).where(CAMPAIGN.ID.eq(campaign)).execute();
    }

    private static void openCircuit(long sender) {
        CircuitBreakers breakers = new RedisCircuitBreakers(TestApp.redis(), new JooqDomainHistory(dsl()), CircuitRule.DEFAULT);
        Set<Long> refused = new HashSet<>();
        for (long r = 1; r <= 20; r++) refused.add(r);
        breakers.record(sender, Map.of("down.example",
                new CircuitBreakers.RouteResults(Set.of(), refused, "554 5.7.1 refused")), Instant.now());
    }

    private static String pem() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        byte[] der = g.generateKeyPair().getPrivate().getEncoded();
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
    }

}
