package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.BOUNCE_EVENT;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static dev.mailroom.db.generated.Tables.WEBHOOK_DELIVERY;
import static dev.mailroom.db.generated.Tables.WEBHOOK_ENDPOINT;
import static dev.mailroom.db.generated.Tables.WEBHOOK_OUTBOX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.sender.SmtpSettings;
import dev.mailroom.core.webhook.WebhookCall;
import dev.mailroom.testkit.TestServices;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class DeliveryResultsApiTest extends WebTestBase {

    @Test
    void creates_lists_and_deletes_webhooks_never_showing_the_secret() {
        Api.Res r = Api.post("/api/webhooks", admin,
                "{\"url\": \"https://hooks.example.com/hook\", \"secret\": \"topsecret1\", \"events\": [\"delivered\", \"campaign.finished\"]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.text()).doesNotContain("topsecret1");
        long id = r.get("id").asLong();
        assertThat(r.get("events").toString()).contains("delivered", "campaign.finished");
        Api.Res list = Api.get("/api/webhooks", admin);
        assertThat(list.get("items")).hasSize(1);
        assertThat(list.text()).doesNotContain("topsecret1");
        assertThat(Api.get("/api/webhooks", operator).status()).isEqualTo(403);
        assertThat(Api.delete("/api/webhooks/" + id, admin).status()).isEqualTo(204);
        assertThat(Api.delete("/api/webhooks/" + id, admin).status()).isEqualTo(404);
    }

    @Test
    void I19_a_webhook_secret_is_stored_sealed_under_its_own_purpose_and_opens_to_the_one_given() {
        Api.Res r = Api.post("/api/webhooks", admin,
                "{\"url\": \"https://hooks.example.com/hook\", \"secret\": \"topsecret1\", \"events\": [\"delivered\"]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String stored = dsl().fetchValue(WEBHOOK_ENDPOINT.SECRET);
        assertThat(stored).startsWith("v1:").doesNotContain("topsecret1");
        assertThat(r.text()).doesNotContain(stored);
        var sealer = new SecretSealer(KeyRing.parse(TestServices.SECRET_KEY));
        assertThat(sealer.open(stored, WebhookCall.SECRET_SEAL_PURPOSE)).isEqualTo("topsecret1");
        assertThatThrownBy(() -> sealer.open(stored, SmtpSettings.PASSWORD_SEAL_PURPOSE))
                .as("a sealed value copied into another column does not open")
                .isInstanceOf(SecretSealer.SealedSecretUnreadable.class);
    }

    @Test
    void rejects_a_webhook_with_a_bad_url_an_unknown_event_or_a_short_secret_and_writes_nothing() {
        Api.Res r = Api.post("/api/webhooks", admin,
                "{\"url\": \"ftp://x\", \"secret\": \"short\", \"events\": [\"opened\"]}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.get("errors").findValuesAsText("field")).contains("url", "secret", "events");
        assertThat(Api.get("/api/webhooks", admin).get("items")).isEmpty();
    }

    @Test
    void lists_the_delivery_attempts_of_a_webhook_newest_first() {
        long id = Api.post("/api/webhooks", admin,
                "{\"url\": \"https://hooks.example.com/hook\", \"secret\": \"topsecret1\", \"events\": [\"failed\"]}").get("id").asLong();
        long outbox = dsl().insertInto(WEBHOOK_OUTBOX).set(WEBHOOK_OUTBOX.ENDPOINT_ID, id).set(WEBHOOK_OUTBOX.EVENT, "failed")
                .set(WEBHOOK_OUTBOX.PAYLOAD, "{}").returning(WEBHOOK_OUTBOX.ID).fetchOne(WEBHOOK_OUTBOX.ID);
        for (int i = 1; i <= 2; i++) {
            dsl().insertInto(WEBHOOK_DELIVERY).set(WEBHOOK_DELIVERY.OUTBOX_ID, outbox).set(WEBHOOK_DELIVERY.ENDPOINT_ID, id)
                    .set(WEBHOOK_DELIVERY.ATTEMPT_NO, i).set(WEBHOOK_DELIVERY.STATUS_CODE, i == 1 ? 503 : 200)
                    .set(WEBHOOK_DELIVERY.DURATION_MS, 5).execute();
        }
        Api.Res r = Api.get("/api/webhooks/" + id + "/deliveries?limit=1", admin);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("items").get(0).get("attempt_no").asInt()).isEqualTo(2);
        assertThat(r.get("items").get(0).get("event").asText()).isEqualTo("failed");
        Api.Res next = Api.get("/api/webhooks/" + id + "/deliveries?limit=1&cursor=" + r.get("next_cursor").asText(), admin);
        assertThat(next.get("items").get(0).get("status_code").asInt()).isEqualTo(503);
        assertThat(next.get("next_cursor").isNull()).isTrue();
    }

    @Test
    void I13_a_reported_hard_bounce_of_our_message_suppresses_the_address_and_a_soft_one_does_not() {
        long campaign = createCampaign(createSender("main"), "ann@example.com");
        String mid = sentWithOurMessageId();
        Api.post("/api/webhooks", admin, "{\"url\": \"https://hooks.example.com/h\", \"secret\": \"topsecret1\", \"events\": [\"bounced\"]}");
        Api.Res r = Api.post("/api/events/bounces", operator, "{\"message_id\": \"" + mid + "\", "
                + "\"email\": \"Ann@Example.com\", \"type\": \"hard\", \"smtp_code\": 550, \"diagnostic\": \"5.1.1 user unknown\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        assertThat(r.get("campaign_id").asLong()).isEqualTo(campaign);
        assertThat(dsl().fetchExists(SUPPRESSION, SUPPRESSION.EMAIL.eq("ann@example.com").and(SUPPRESSION.REASON.eq("hard_bounce"))))
                .isTrue();
        assertThat(dsl().fetchCount(WEBHOOK_OUTBOX, WEBHOOK_OUTBOX.EVENT.eq("bounced"))).isEqualTo(1);

        Api.post("/api/events/bounces", operator, "{\"email\": \"bob@example.com\", \"type\": \"soft\"}");
        assertThat(dsl().fetchExists(SUPPRESSION, SUPPRESSION.EMAIL.eq("bob@example.com"))).isFalse();
    }

    @Test
    void I13_a_reported_complaint_suppresses_once_per_recipient_and_an_unmatched_one_is_recorded_not_acted_on() {
        long campaign = createCampaign(createSender("main"), "cat@example.com");
        String messageId = sentWithOurMessageId();
        String complaint = "{\"message_id\": \"" + messageId + "\", \"email\": \"cat@example.com\", \"type\": \"complaint\"}";
        Api.Res first = Api.post("/api/events/bounces", operator, complaint);
        assertThat(first.get("matched").asBoolean()).as(first.toString()).isTrue();
        Api.post("/api/events/bounces", operator, complaint);
        assertThat(dsl().fetchExists(SUPPRESSION, SUPPRESSION.EMAIL.eq("cat@example.com").and(SUPPRESSION.REASON.eq("complaint"))))
                .isTrue();
        Api.Res view = Api.get("/api/campaigns/" + campaign, viewer);
        assertThat(view.get("complained").asInt()).as(view.toString()).isEqualTo(1);
        assertThat(view.get("bounced").asInt()).isZero();
        assertThat(view.get("total").asInt()).isEqualTo(1);

        Api.Res stray = Api.post("/api/events/bounces", operator, "{\"email\": \"dan@example.com\", \"type\": \"complaint\"}");
        assertThat(stray.status()).isEqualTo(202);
        assertThat(stray.get("matched").asBoolean()).isFalse();
        assertThat(dsl().fetchExists(SUPPRESSION, SUPPRESSION.EMAIL.eq("dan@example.com"))).isFalse();
        assertThat(dsl().fetchExists(BOUNCE_EVENT, BOUNCE_EVENT.EMAIL.eq("dan@example.com").and(BOUNCE_EVENT.SOURCE.eq("api"))))
                .isTrue();
    }

    /** Anyone with an ingest key could otherwise suppress any address: only a report about our own message acts. */
    @Test
    void I13_a_hard_bounce_that_matches_no_message_we_sent_is_recorded_and_suppresses_nobody() {
        long campaign = createCampaign(createSender("main"), "ann@example.com");
        String mid = sentWithOurMessageId();
        String[] unmatched = {
                // our real Message-ID, but another address than the one it went to
                "{\"message_id\": \"" + mid + "\", \"email\": \"victim@example.com\", \"type\": \"hard\", \"smtp_code\": 550}",
                // a Message-ID in our form that we never sent
                "{\"message_id\": \"<mr." + campaign + ".999999@example.com>\", \"email\": \"victim@example.com\", \"type\": \"hard\"}",
                // no reference at all, for an address we did send to
                "{\"email\": \"ann@example.com\", \"type\": \"hard\", \"smtp_code\": 550, \"diagnostic\": \"5.1.1 user unknown\"}"};
        for (String report : unmatched) {
            Api.Res r = Api.post("/api/events/bounces", operator, report);
            assertThat(r.status()).as(report + " → " + r).isEqualTo(202);
            assertThat(r.get("matched").asBoolean()).as(report).isFalse();
            assertThat(r.get("suppressed").asBoolean()).as(report).isFalse();
        }
        assertThat(dsl().fetchCount(SUPPRESSION)).isZero();
        assertThat(dsl().fetchCount(BOUNCE_EVENT, BOUNCE_EVENT.SOURCE.eq("api"))).as("each is recorded").isEqualTo(3);
        assertThat(Api.get("/api/campaigns/" + campaign, viewer).get("bounced").asInt()).isZero();
    }

    @Test
    void I15_a_reported_hard_bounce_quoting_a_policy_refusal_suppresses_nobody() {
        createCampaign(createSender("main"), "eve@example.com");
        String mid = sentWithOurMessageId();
        Api.Res r = Api.post("/api/events/bounces", operator, "{\"message_id\": \"" + mid + "\", \"email\": \"eve@example.com\", "
                + "\"type\": \"hard\", \"smtp_code\": 554, \"diagnostic\": \"5.7.1 message rejected as spam\"}");
        assertThat(r.get("matched").asBoolean()).as(r.toString()).isTrue();
        assertThat(r.get("suppressed").asBoolean()).isFalse();
        assertThat(dsl().fetchExists(SUPPRESSION)).isFalse();
        assertThat(dsl().select(BOUNCE_EVENT.RULE).from(BOUNCE_EVENT).fetchSingle().value1())
                .isEqualTo("api hard: message refused, not suppressed (I15)");
    }

    /** The campaign's only recipient as the worker leaves it once sent: with our Message-ID. */
    private static String sentWithOurMessageId() {
        var r = dsl().select(CAMPAIGN_RECIPIENT.ID, CAMPAIGN_RECIPIENT.CAMPAIGN_ID).from(CAMPAIGN_RECIPIENT).fetchSingle();
        String mid = "<mr." + r.value2() + "." + r.value1() + "@example.com>";
        dsl().update(CAMPAIGN_RECIPIENT).set(CAMPAIGN_RECIPIENT.MESSAGE_ID, mid).set(CAMPAIGN_RECIPIENT.SENT_AT, OffsetDateTime.now())
                .execute();
        return mid;
    }

    @Test
    void rejects_a_bounce_with_an_invalid_address_or_type_and_writes_nothing() {
        Api.Res r = Api.post("/api/events/bounces", operator, "{\"email\": \"not-an-address\", \"type\": \"angry\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.get("errors").findValuesAsText("field")).contains("email", "type");
        assertThat(dsl().fetchCount(SUPPRESSION)).isZero();
        assertThat(Api.post("/api/events/bounces", viewer, "{\"email\": \"a@b.co\", \"type\": \"hard\"}").status()).isEqualTo(403);
    }
}
