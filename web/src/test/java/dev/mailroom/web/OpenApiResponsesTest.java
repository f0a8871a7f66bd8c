package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.WEBHOOK_DELIVERY;
import static dev.mailroom.db.generated.Tables.WEBHOOK_OUTBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real answers of the running app, successes and problems alike, match the schemas of the served API
 * reference: their status and content type are documented, they validate, and they carry no field the
 * reference leaves out. Data is made through the API; a worker's writes (an attempt, a processing
 * campaign, a webhook delivery) are made in SQL, as the web module has no worker.
 */
class OpenApiResponsesTest extends WebTestBase {
    private DocumentedResponses documented;

    @BeforeEach
    void reference() throws Exception {
        documented = new DocumentedResponses(OpenApiDocumentTest.served());
    }

    private Api.Res check(String method, String template, Api.Res res, int expected) {
        assertThat(res.status()).as(method + " " + template + " → " + res).isEqualTo(expected);
        documented.check(method, template, res);
        return res;
    }

    @Test
    void keys_identity_audit_and_operations() {
        check("GET", "/health/live", Api.get("/health/live", null), 200);
        check("GET", "/health/ready", Api.get("/health/ready", null), 200);
        check("GET", "/metrics", Api.get("/metrics", null), 200);
        Api.Res created = check("POST", "/api/keys", Api.post("/api/keys", admin,
                "{\"name\": \"ops\", \"role\": \"operator\", \"expires_at\": \"2099-01-01T00:00:00Z\"}"), 201);
        check("GET", "/api/keys", Api.get("/api/keys?limit=2", admin), 200);
        check("GET", "/api/me", Api.get("/api/me", created.get("key").asText()), 200);
        check("DELETE", "/api/keys/{id}", Api.delete("/api/keys/" + created.get("id").asLong(), admin), 204);
        check("GET", "/api/audit", Api.get("/api/audit", admin), 200);

        check("GET", "/api/me", Api.get("/api/me", null), 401);
        check("GET", "/api/keys", Api.get("/api/keys", viewer), 403);
        check("POST", "/api/keys", Api.post("/api/keys", admin, "{\"name\": \"x\", \"role\": \"boss\"}"), 400);
        check("POST", "/api/keys", Api.post("/api/keys", admin, "{not json"), 400);
        check("DELETE", "/api/keys/{id}", Api.delete("/api/keys/999999", admin), 404);
        check("GET", "/api/keys", Api.get("/api/keys?limit=0", admin), 400);
    }

    @Test
    void senders_their_dkim_quota_reputation_and_bounce_mailbox() {
        Map<String, Object> body = senderBody("Main");
        body.put("window", Map.of("start", "09:00", "end", "18:00", "timezone", "Europe/Moscow", "days", List.of(1, 2, 3, 4, 5)));
        long id = check("POST", "/api/senders", Api.post("/api/senders", admin, Api.json(body)), 201).get("id").asLong();
        String one = "/api/senders/" + id;
        check("GET", "/api/senders", Api.get("/api/senders", viewer), 200);
        check("GET", "/api/senders/{id}", Api.get(one, viewer), 200);
        check("PATCH", "/api/senders/{id}", Api.patch(one, admin, "{\"hourly_limit\": 200, \"window\": null}"), 200);
        check("PATCH", "/api/senders/{id}", Api.patch(one, admin, "{\"test_reserve_per_hour\": 10}"), 200);
        check("PATCH", "/api/senders/{id}", Api.patch(one, admin, "{\"test_reserve_per_hour\": 200}"), 400);
        Api.Res signed = check("POST", "/api/senders/{id}/dkim",
                Api.post(one + "/dkim", admin, "{\"domain\": \"example.com\", \"selector\": \"mr1\"}"), 200);
        assertThat(signed.get("dkim").get("dns_txt").asText()).startsWith("v=DKIM1");
        check("POST", "/api/senders/{id}/quota-sync",
                Api.post(one + "/quota-sync", operator, "{\"remaining\": 9000, \"synced_at\": \"2026-11-23T16:00:00Z\"}"), 200);
        check("GET", "/api/senders/{id}/quota", Api.get(one + "/quota", viewer), 200);
        check("GET", "/api/senders/{id}/reputation", Api.get(one + "/reputation", viewer), 200);
        long test = check("POST", "/api/senders/{id}/connection-tests", Api.post(one + "/connection-tests", operator, ""), 202)
                .get("id").asLong();
        check("GET", "/api/senders/{id}/connection-tests/{test_id}", Api.get(one + "/connection-tests/" + test, viewer), 200);
        // What the worker writes: the test failed, and so did the sender's last connection.
        dsl().execute("update connection_test set status = 'failed', fault = 'connection_refused', detail = 'Nothing accepted "
                + "the connection.', tested_at = now() where id = ?", test);
        dsl().execute("update sender set connection_status = 'failed', connection_fault = 'connection_refused', "
                + "connection_detail = 'Nothing accepted the connection.', connection_at = now(), last_fault = 'connection_refused', "
                + "last_error = 'transient_error: cannot connect: connection refused', last_error_at = now() where id = ?", id);
        check("GET", "/api/senders/{id}/connection-tests/{test_id}", Api.get(one + "/connection-tests/" + test, viewer), 200);
        check("GET", "/api/senders/{id}", Api.get(one, viewer), 200);
        check("POST", "/api/senders/{id}/connection-tests", Api.post(one + "/connection-tests", operator, "{\"host\": \"x\"}"), 400);
        check("POST", "/api/senders/{id}/connection-tests", Api.post(one + "/connection-tests", viewer, ""), 403);
        check("GET", "/api/senders/{id}/connection-tests/{test_id}", Api.get(one + "/connection-tests/999999", viewer), 404);

        check("GET", "/api/senders/{id}/bounce-mailbox", Api.get(one + "/bounce-mailbox", admin), 404);
        check("PUT", "/api/senders/{id}/bounce-mailbox", Api.put(one + "/bounce-mailbox", admin, """
                {"domain": "bounces.example.com",
                 "imap": {"host": "imap.example.com", "port": 993, "tls": "tls", "username": "bounces", "password": "imap-pw"}}
                """), 200);
        check("GET", "/api/senders/{id}/bounce-mailbox", Api.get(one + "/bounce-mailbox", admin), 200);
        check("DELETE", "/api/senders/{id}/bounce-mailbox", Api.delete(one + "/bounce-mailbox", admin), 204);

        check("PATCH", "/api/senders/{id}", Api.patch(one, admin, "{\"smtp\": {\"hots\": \"x\"}}"), 400);
        check("GET", "/api/senders/{id}", Api.get("/api/senders/999999", viewer), 404);
        check("POST", "/api/senders", Api.post("/api/senders", operator, Api.json(senderBody("Other"))), 403);
    }

    @Test
    void campaigns_recipients_lifecycle_and_live_events() {
        long sender = createSender("Main");
        Api.Res created = check("POST", "/api/campaigns", Api.post("/api/campaigns", operator, Api.json(
                campaignBody(sender, List.of(Map.of("email", "a@example.com", "name", "Ann", "vars", Map.of("plan", "pro")))))), 201);
        long id = created.get("id").asLong();
        String one = "/api/campaigns/" + id;
        check("POST", "/api/campaigns/{id}/recipients", Api.post(one + "/recipients", operator,
                "{\"recipients\": [{\"email\": \"b@example.com\"}]}"), 200);
        check("POST", "/api/campaigns/{id}/recipients", Api.post(one + "/recipients", operator, "text/csv",
                HttpRequest.BodyPublishers.ofString("email,name,plan\nc@example.com,Chen,free\n")), 200);
        check("POST", "/api/campaigns/{id}/recipients", Api.post(one + "/recipients", operator, "text/csv",
                HttpRequest.BodyPublishers.ofString("email\nnot-an-address\n")), 400);
        check("PATCH", "/api/campaigns/{id}/controls", Api.patch(one + "/controls", operator, "{\"batch_size\": 10}"), 200);
        check("PATCH", "/api/campaigns/{id}", Api.patch(one, operator, "{\"send_at\": null}"), 200);
        check("POST", "/api/campaigns/{id}/queue", Api.post(one + "/queue", operator, ""), 200);

        // What a worker would have written: one failed attempt, and the campaign processing.
        long rid = dsl().fetchSingle("select id from campaign_recipient where campaign_id = ? order by id limit 1", id)
                .get(0, Long.class);
        dsl().execute("update campaign_recipient set status = 'failed', attempts = 1, attempted_at = now(), "
                + "last_error = '550 5.1.1 mailbox refused', message_id = '<mr.' || campaign_id || '.' || id || '@example.com>' where id = ?", rid);
        dsl().execute("""
                insert into delivery_attempt (sender_id, campaign_id, recipient_id, attempt_no, outcome, smtp_code, reply,
                                              duration_ms, worker_id, attempted_at)
                values (?, ?, ?, 1, 'failed', 550, '550 5.1.1 mailbox refused', 12, 'w1', now())""", sender, id, rid);
        dsl().execute("update campaign set pending = pending - 1, failed = failed + 1 where id = ?", id);
        dsl().execute("update campaign_queue set status = 'processing', claimed_by = 'w1', started_at = now(), "
                + "last_batch_at = now() where campaign_id = ?", id);

        check("GET", "/api/campaigns", Api.get("/api/campaigns?limit=1", viewer), 200);
        check("GET", "/api/campaigns/{id}", Api.get(one, viewer), 200);
        check("GET", "/api/campaigns/{id}/progress", Api.get(one + "/progress", viewer), 200);
        check("GET", "/api/campaigns/{id}/recipients", Api.get(one + "/recipients?status=failed", viewer), 200);
        Api.Res attempts = check("GET", "/api/campaigns/{id}/recipients/{rid}/attempts",
                Api.get(one + "/recipients/" + rid + "/attempts", viewer), 200);
        assertThat(attempts.get("items")).hasSize(1);
        Api.Res poll = check("GET", "/api/poll", Api.get("/api/poll?sender_id=" + sender, viewer), 200);
        assertThat(poll.get("active_campaign").get("id").asLong()).isEqualTo(id);

        check("POST", "/api/campaigns/{id}/pause", Api.post(one + "/pause", operator, ""), 200);
        check("POST", "/api/campaigns/{id}/retry-failed", Api.post(one + "/retry-failed", operator, ""), 200);
        check("POST", "/api/campaigns/{id}/retry-uncertain", Api.post(one + "/retry-uncertain", operator, ""), 409);
        check("POST", "/api/campaigns/{id}/resume", Api.post(one + "/resume", operator, ""), 200);
        check("POST", "/api/campaigns/{id}/cancel", Api.post(one + "/cancel", operator, ""), 200);
        Api.Res refused = check("POST", "/api/campaigns/{id}/pause", Api.post(one + "/pause", operator, ""), 409);
        assertThat(refused.get("current_status").asText()).isEqualTo("cancelled");
        check("PATCH", "/api/campaigns/{id}", Api.patch(one, operator, "{\"send_at\": null}"), 409);
        check("POST", "/api/campaigns/{id}/queue", Api.post(one + "/queue", viewer, ""), 403);

        check("GET", "/api/campaigns/{id}/events", Api.get(one + "/events", viewer), 406);
        check("GET", "/api/campaigns/{id}/events", Api.get("/api/campaigns/999999/events", viewer), 404);
        check("POST", "/api/campaigns", Api.post("/api/campaigns", operator, "{\"name\": \"x\", \"sender_id\": 1, \"subject\": \"s\", \"send_att\": 1}"), 400);
    }

    @Test
    void test_emails_suppressions_bounces_webhooks_and_circuits() {
        long sender = createSender("Main");
        Api.Res queued = check("POST", "/api/test-emails", Api.post("/api/test-emails", operator, Api.json(
                Map.of("sender_id", sender, "to", "me@example.com", "subject", "Hi", "text", "Hello"))), 202);
        check("GET", "/api/test-emails/{id}", Api.get("/api/test-emails/" + queued.get("id").asLong(), viewer), 200);
        long campaign = createCampaign(sender, "ann@example.org");
        check("POST", "/api/test-emails", Api.post("/api/test-emails", operator, Api.json(
                Map.of("to", "me@example.com", "campaign_id", campaign))), 202);
        check("POST", "/api/test-emails", Api.post("/api/test-emails", operator, Api.json(
                Map.of("to", List.of("me@example.com", "qa@example.com"), "campaign_id", campaign))), 202);
        check("POST", "/api/test-emails", Api.post("/api/test-emails", operator, Api.json(
                Map.of("to", "me@example.com", "campaign_id", campaign, "recipient_id", 999_999))), 400);
        check("GET", "/api/test-emails", Api.get("/api/test-emails?campaign_id=" + campaign + "&limit=2", viewer), 200);
        check("GET", "/api/test-emails", Api.get("/api/test-emails?campaign_id=999999", viewer), 404);
        check("GET", "/api/test-emails", Api.get("/api/test-emails", viewer), 400);

        check("POST", "/api/suppressions", Api.post("/api/suppressions", operator,
                "{\"email\": \"gone@example.com\", \"reason\": \"manual\"}"), 201);
        check("GET", "/api/suppressions", Api.get("/api/suppressions", viewer), 200);
        check("POST", "/api/test-emails", Api.post("/api/test-emails", operator, Api.json(
                Map.of("sender_id", sender, "to", "gone@example.com", "subject", "Hi", "text", "Hello"))), 409);
        check("DELETE", "/api/suppressions/{email}", Api.delete("/api/suppressions/gone@example.com", operator), 204);
        check("DELETE", "/api/suppressions/{email}", Api.delete("/api/suppressions/gone@example.com", operator), 404);
        check("POST", "/api/suppressions", Api.post("/api/suppressions", operator, "{\"email\": \"nope\"}"), 400);

        check("POST", "/api/events/bounces", Api.post("/api/events/bounces", operator,
                "{\"email\": \"someone@example.com\", \"type\": \"soft\", \"smtp_code\": 451, \"provider_field\": 1}"), 202);

        Api.Res hook = check("POST", "/api/webhooks", Api.post("/api/webhooks", admin,
                "{\"url\": \"https://hooks.example.com/mailroom\", \"secret\": \"s3cret-value\", \"events\": [\"delivered\", \"failed\"]}"), 201);
        long hookId = hook.get("id").asLong();
        long outbox = dsl().insertInto(WEBHOOK_OUTBOX).set(WEBHOOK_OUTBOX.ENDPOINT_ID, hookId).set(WEBHOOK_OUTBOX.EVENT, "failed")
                .set(WEBHOOK_OUTBOX.PAYLOAD, "{}").returning(WEBHOOK_OUTBOX.ID).fetchOne(WEBHOOK_OUTBOX.ID);
        dsl().insertInto(WEBHOOK_DELIVERY).set(WEBHOOK_DELIVERY.OUTBOX_ID, outbox).set(WEBHOOK_DELIVERY.ENDPOINT_ID, hookId)
                .set(WEBHOOK_DELIVERY.ATTEMPT_NO, 1).set(WEBHOOK_DELIVERY.STATUS_CODE, 503)
                .set(WEBHOOK_DELIVERY.ERROR, "http_error: HTTP 503").set(WEBHOOK_DELIVERY.DURATION_MS, 5).execute();
        check("GET", "/api/webhooks", Api.get("/api/webhooks", admin), 200);
        Api.Res deliveries = check("GET", "/api/webhooks/{id}/deliveries", Api.get("/api/webhooks/" + hookId + "/deliveries", admin), 200);
        assertThat(deliveries.get("items")).hasSize(1);
        check("DELETE", "/api/webhooks/{id}", Api.delete("/api/webhooks/" + hookId, admin), 204);
        check("POST", "/api/webhooks", Api.post("/api/webhooks", admin,
                "{\"url\": \"http://127.0.0.1/hook\", \"secret\": \"s3cret-value\", \"events\": [\"failed\"]}"), 400);

        check("GET", "/api/circuits", Api.get("/api/circuits", viewer), 200);
        check("DELETE", "/api/circuits/{sender_id}/{domain}", Api.delete("/api/circuits/" + sender + "/example.net", operator), 404);
    }

    @Test
    void the_check_catches_a_wrong_type_and_an_undocumented_field() throws Exception {
        long sender = createSender("Main");
        Api.Res real = Api.get("/api/senders/" + sender, viewer);
        documented.check("GET", "/api/senders/{id}", real);

        var wrongType = (ObjectNode) OpenApiDocumentTest.served();
        ((ObjectNode) wrongType.at("/components/schemas/Sender/properties/hourly_limit"))
                .put("type", "string");
        assertThatThrownBy(() -> new DocumentedResponses(wrongType).check("GET", "/api/senders/{id}", real))
                .hasMessageContaining("hourly_limit");

        var fieldLeftOut = (ObjectNode) OpenApiDocumentTest.served();
        ((ObjectNode) fieldLeftOut.at("/components/schemas/Sender/properties/smtp/properties"))
                .remove("allow_plaintext_auth");
        assertThatThrownBy(() -> new DocumentedResponses(fieldLeftOut).check("GET", "/api/senders/{id}", real))
                .hasMessageContaining("smtp.allow_plaintext_auth");

        assertThatThrownBy(() -> documented.check("GET", "/api/senders/{id}", new Api.Res(418, "application/json", "{}")))
                .hasMessageContaining("documented status");
    }

    @Test
    void too_many_failed_authentications_is_documented_with_retry_after() {
        Api.Res r = null;
        for (int i = 0; i <= 20; i++) r = Api.get("/api/campaigns", "mr_guess-" + i);
        check("GET", "/api/campaigns", r, 429);
        assertThat(r.retryAfter()).isNotBlank();
    }
}
