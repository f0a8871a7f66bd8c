package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** PATCH /api/campaigns/{id}: a draft's name, subject, bodies and sender can be fixed until it is queued. */
class DraftEditApiTest extends WebTestBase {

    private Api.Res patch(long id, String json) {
        return Api.patch("/api/campaigns/" + id, operator, json);
    }

    @Test
    void a_draft_s_subject_bodies_and_sender_are_changed_together_and_its_queue_row_follows_the_sender() {
        long first = createSender("first");
        long second = createSender("second");
        long id = createCampaign(first, "a@example.com");

        Api.Res r = patch(id, "{\"name\": \"December news\", \"subject\": \"Fixed {{name}}\", \"html\": null,"
                + " \"text\": \"Hello {{name}}\", \"sender_id\": " + second + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("name").asText()).isEqualTo("December news");
        assertThat(r.get("subject").asText()).isEqualTo("Fixed {{name}}");
        assertThat(r.get("sender_id").asLong()).isEqualTo(second);
        assertThat(r.get("status").asText()).isEqualTo("draft");
        var row = dsl().selectFrom(CAMPAIGN).where(CAMPAIGN.ID.eq(id)).fetchOne();
        assertThat(row.getHtml()).isNull();
        assertThat(row.getBodyText()).isEqualTo("Hello {{name}}");
        assertThat(dsl().select(CAMPAIGN_QUEUE.SENDER_ID).from(CAMPAIGN_QUEUE).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(id))
                .fetchOne().value1()).as("the queue row is the sender's now: its poll and claim").isEqualTo(second);

        JsonNode audit = Api.get("/api/audit?target_type=campaign&target_id=" + id, admin).get("items").get(0);
        assertThat(audit.get("action").asText()).isEqualTo("campaign.edit");
        assertThat(audit.toString()).contains("\"subject\"").doesNotContain("Fixed {{name}}").doesNotContain("Hello {{name}}");

        Api.Res queued = Api.post("/api/campaigns/" + id + "/queue", operator, "");
        assertThat(queued.get("status").asText()).isEqualTo("queued");
        Api.Res late = patch(id, "{\"subject\": \"Too late\"}");
        assertThat(late.status()).as("a queued campaign's content is what workers send").isEqualTo(409);
        assertThat(late.get("current_status").asText()).isEqualTo("queued");
        assertThat(Api.get("/api/campaigns/" + id, viewer).get("subject").asText()).isEqualTo("Fixed {{name}}");
    }

    @Test
    void a_bad_edit_is_refused_whole_with_the_field_named_and_changes_nothing() {
        long sender = createSender("main");
        long id = createCampaign(sender, "a@example.com");

        Api.Res noBody = patch(id, "{\"subject\": \"Changed\", \"html\": null, \"text\": \"  \"}");
        assertThat(noBody.status()).isEqualTo(400);
        assertThat(noBody.get("errors").get(0).get("field").asText()).isEqualTo("html");
        Api.Res injected = patch(id, "{\"subject\": \"Hi\\r\\nBcc: x@example.org\"}");
        assertThat(injected.status()).isEqualTo(400);
        assertThat(injected.get("errors").get(0).get("field").asText()).isEqualTo("subject");
        assertThat(patch(id, "{\"name\": \"\"}").status()).isEqualTo(400);
        assertThat(patch(id, "{\"name\": 7}").status()).isEqualTo(400);
        Api.Res noSender = patch(id, "{\"sender_id\": 999999, \"name\": \"x\"}");
        assertThat(noSender.status()).isEqualTo(400);
        assertThat(noSender.get("errors").get(0).get("field").asText()).isEqualTo("sender_id");
        Api.Res unknown = patch(id, "{\"subject\": \"x\", \"from\": \"y\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.get("errors").get(0).get("field").asText()).isEqualTo("from");
        assertThat(Api.patch("/api/campaigns/" + id, viewer, "{\"subject\": \"x\"}").status()).isEqualTo(403);

        var row = dsl().selectFrom(CAMPAIGN).where(CAMPAIGN.ID.eq(id)).fetchOne();
        assertThat(row.getSubject()).isEqualTo("Hello {{name}}");
        assertThat(row.getHtml()).isEqualTo("<p>Hi {{name}}</p>");
        assertThat(row.getName()).isEqualTo("November news");
    }
}
