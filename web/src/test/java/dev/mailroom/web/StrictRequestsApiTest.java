package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.BOUNCE_EVENT;
import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.SENDER;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static dev.mailroom.db.generated.Tables.WEBHOOK_ENDPOINT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * API.md: requests are strict — a field the server does not know is a 400 that names it (as a path), at
 * any depth except inside {@code vars}, and nothing is written; third-party payloads (bounce events) may
 * carry fields we do not use.
 */
class StrictRequestsApiTest extends WebTestBase {

    private static List<String> fields(Api.Res r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        List<String> out = new ArrayList<>();
        for (JsonNode e : r.get("errors")) out.add(e.get("field").asText());
        return out;
    }

    @Test
    void a_misspelt_campaign_field_is_named_and_no_campaign_is_written() {
        long sender = createSender("main");
        var body = new HashMap<>(campaignBody(sender, List.of(recipient("ann@example.com", "Ann"))));
        body.put("send_att", "2030-01-01T00:00:00Z");
        Api.Res r = Api.post("/api/campaigns", operator, Api.json(body));
        assertThat(fields(r)).containsExactly("send_att");
        assertThat(r.get("errors").get(0).get("message").asText()).isEqualTo("is not a known field");
        assertThat(r.get("detail").asText()).contains("send_att");
        assertThat(dsl().fetchCount(CAMPAIGN)).isZero();
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isZero();
    }

    @Test
    void every_unknown_field_of_a_body_is_named_at_once_with_its_path() {
        long sender = createSender("main");
        List<Map<String, Object>> recipients = new ArrayList<>();
        for (int i = 0; i < 3; i++) recipients.add(recipient("r" + i + "@example.com", "R"));
        recipients.add(Map.of("emial", "typo@example.com", "name", "T", "extra", Map.of("deep", List.of(1, 2))));
        var body = new HashMap<>(campaignBody(sender, recipients));
        body.put("priority", "high");
        assertThat(fields(Api.post("/api/campaigns", operator, Api.json(body))))
                .containsExactlyInAnyOrder("priority", "recipients[3].emial", "recipients[3].extra");
        assertThat(dsl().fetchCount(CAMPAIGN)).isZero();
    }

    @Test
    void vars_are_free_form_even_with_names_the_server_knows_elsewhere() {
        long sender = createSender("main");
        Map<String, Object> vars = Map.of("send_att", "x", "emial", "y", "recipients", "z", "plan", 3, "vip", true);
        var body = campaignBody(sender, List.of(Map.of("email", "ann@example.com", "name", "Ann", "vars", vars)));
        Api.Res r = Api.post("/api/campaigns", operator, Api.json(body));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String stored = dsl().select(CAMPAIGN_RECIPIENT.VARS).from(CAMPAIGN_RECIPIENT).fetchOne().value1();
        assertThat(stored).contains("\"send_att\"", "\"emial\"", "\"recipients\"", "\"plan\"", "\"vip\"");
    }

    @Test
    void a_nested_unknown_field_of_a_new_sender_is_named_by_its_path_and_nothing_is_written() {
        var body = senderBody("main");
        @SuppressWarnings("unchecked") var smtp = new HashMap<>((Map<String, Object>) body.get("smtp"));
        smtp.put("hots", "smtp.example.com");
        body.put("smtp", smtp);
        body.put("window", Map.of("start", "09:00", "end", "18:00", "timezone", "UTC", "dayz", List.of(1)));
        List<String> named = fields(Api.post("/api/senders", admin, Api.json(body)));
        assertThat(named).isNotEmpty().isSubsetOf("smtp.hots", "window.dayz");
        assertThat(dsl().fetchCount(SENDER)).isZero();
    }

    @Test
    void a_sender_patch_with_an_unknown_field_is_refused_and_changes_nothing() {
        long id = createSender("main");
        assertThat(fields(Api.patch("/api/senders/" + id, admin, "{\"hourly_limt\": 5, \"hourly_limit\": 7}")))
                .containsExactly("hourly_limt");
        assertThat(fields(Api.patch("/api/senders/" + id, admin, "{\"smtp\": {\"hots\": \"other.example.com\"}}")))
                .containsExactly("smtp.hots");
        assertThat(fields(Api.patch("/api/senders/" + id, admin, "{\"dkim\": {\"domian\": \"example.com\"}}")))
                .contains("dkim.domian");
        var row = dsl().selectFrom(SENDER).where(SENDER.ID.eq(id)).fetchOne();
        assertThat(row.getHourlyLimit()).isEqualTo(100);
        assertThat(row.getSmtpHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void other_typed_bodies_name_their_unknown_fields_too() {
        long sender = createSender("main");
        long campaign = createCampaign(sender, "ann@example.com");
        assertThat(fields(Api.patch("/api/campaigns/" + campaign + "/controls", operator, "{\"batch_sise\": 5}")))
                .containsExactly("batch_sise");
        assertThat(fields(Api.patch("/api/campaigns/" + campaign, operator, "{\"sendat\": null}")))
                .containsExactly("sendat");
        assertThat(fields(Api.post("/api/campaigns/" + campaign + "/recipients", operator,
                "{\"recipients\": [{\"email\": \"bob@example.com\", \"nmae\": \"Bob\"}]}")))
                .containsExactly("recipients[0].nmae");
        assertThat(fields(Api.post("/api/suppressions", operator, "{\"email\": \"x@example.com\", \"reson\": \"manual\"}")))
                .containsExactly("reson");
        assertThat(fields(Api.post("/api/webhooks", admin,
                "{\"url\": \"https://hooks.example.com/x\", \"secret\": \"s3cret-s3cret\", \"events\": [\"delivered\"], \"active\": true}")))
                .containsExactly("active");
        assertThat(fields(Api.post("/api/senders/" + sender + "/quota-sync", operator,
                "{\"remaining\": 10, \"synced_at\": \"2026-01-01T00:00:00Z\", \"source\": \"x\"}")))
                .containsExactly("source");
        assertThat(fields(Api.post("/api/test-emails", operator,
                "{\"sender_id\": " + sender + ", \"to\": \"me@example.com\", \"campaign_id\": " + campaign + ", \"cc\": \"x@example.com\"}")))
                .containsExactly("cc");
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isEqualTo(1);
        assertThat(dsl().fetchCount(SUPPRESSION)).isZero();
        assertThat(dsl().fetchCount(WEBHOOK_ENDPOINT)).isZero();
    }

    @Test
    void a_bounce_report_from_a_provider_may_carry_fields_we_do_not_use() {
        Api.Res r = Api.post("/api/events/bounces", operator, "{\"email\": \"gone@example.com\", \"type\": \"hard\", "
                + "\"smtp_code\": 550, \"provider\": \"acme\", \"event_id\": \"e-1\", \"raw\": {\"headers\": [1, 2]}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        assertThat(dsl().fetchCount(BOUNCE_EVENT)).isEqualTo(1);
    }
}
