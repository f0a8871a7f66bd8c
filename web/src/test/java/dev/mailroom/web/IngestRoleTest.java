package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ingest role: bounce reports only, and nothing else — not even a GET; the chain roles keep their rights. */
class IngestRoleTest extends WebTestBase {
    private static final String BOUNCE = "{\"email\": \"gone@example.org\", \"type\": \"hard\", \"smtp_code\": 550}";

    @Test
    void an_ingest_key_may_report_bounces_as_may_operators_and_admins_but_not_viewers() {
        String ingest = ingestKey();
        assertThat(Api.post("/api/events/bounces", ingest, BOUNCE).status()).isEqualTo(202);
        assertThat(Api.post("/api/events/bounces", operator, BOUNCE).status()).isEqualTo(202);
        assertThat(Api.post("/api/events/bounces", admin, BOUNCE).status()).isEqualTo(202);
        Api.Res viewerTry = Api.post("/api/events/bounces", viewer, BOUNCE);
        assertThat(viewerTry.status()).isEqualTo(403);
        assertThat(viewerTry.get("detail").asText()).contains("operator or ingest");
    }

    @Test
    void an_ingest_key_is_forbidden_everywhere_else() {
        String ingest = ingestKey();
        long sender = createSender("main");
        for (String path : List.of("/api/me", "/api/campaigns", "/api/senders", "/api/senders/" + sender + "/quota",
                "/api/poll", "/api/suppressions", "/api/circuits", "/api/keys", "/api/webhooks")) {
            Api.Res r = Api.get(path, ingest);
            assertThat(r.status()).as("GET " + path + " → " + r).isEqualTo(403);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
        assertThat(Api.post("/api/campaigns", ingest, Api.json(campaignBody(sender, List.of()))).status()).isEqualTo(403);
        assertThat(Api.post("/api/suppressions", ingest, "{\"email\": \"a@example.org\"}").status()).isEqualTo(403);
        assertThat(Api.post("/api/senders/" + sender + "/quota-sync", ingest,
                "{\"remaining\": 1, \"synced_at\": \"2026-01-01T00:00:00Z\"}").status()).isEqualTo(403);
        assertThat(Api.post("/api/keys", ingest, "{\"name\": \"x\", \"role\": \"ingest\"}").status()).isEqualTo(403);
        assertThat(Api.post("/api/senders", ingest, Api.json(senderBody("other"))).status()).isEqualTo(403);
    }

    private String ingestKey() {
        Api.Res r = Api.post("/api/keys", admin, "{\"name\": \"provider\", \"role\": \"ingest\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.get("role").asText()).isEqualTo("ingest");
        return r.get("key").asText();
    }
}
