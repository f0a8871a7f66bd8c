package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuppressionAndHealthApiTest extends WebTestBase {

    @Test
    void adds_lists_and_removes_suppressions() {
        Api.Res r = Api.post("/api/suppressions", operator, "{\"email\": \"Bob@Example.com\", \"reason\": \"complaint\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.get("email").asText()).isEqualTo("bob@example.com");
        assertThat(r.get("created_at").isNull()).isFalse();
        Api.post("/api/suppressions", operator, "{\"email\": \"amy@example.com\"}");
        Api.post("/api/suppressions", operator, "{\"email\": \"cat@example.com\", \"reason\": \"unsubscribe\"}");
        Api.Res p1 = Api.get("/api/suppressions?limit=2", viewer);
        assertThat(p1.get("items").get(0).get("email").asText()).isEqualTo("amy@example.com");
        assertThat(p1.get("items").get(0).get("reason").asText()).isEqualTo("manual");
        Api.Res p2 = Api.get("/api/suppressions?limit=2&cursor=" + p1.get("next_cursor").asText(), viewer);
        assertThat(p2.get("items").get(0).get("email").asText()).isEqualTo("cat@example.com");
        assertThat(Api.delete("/api/suppressions/bob@example.com", operator).status()).isEqualTo(204);
        assertThat(Api.delete("/api/suppressions/bob@example.com", operator).status()).isEqualTo(404);
        assertThat(Api.post("/api/suppressions", operator, "{\"email\": \"x@example.com\", \"reason\": \"spite\"}").status())
                .isEqualTo(400);
    }

    @Test
    void stores_a_suppressed_address_as_suppressed_when_it_joins_a_campaign() {
        Api.post("/api/suppressions", operator, "{\"email\": \"bob@example.com\"}");
        long id = createCampaign(createSender("main"), "bob@example.com", "amy@example.com");
        var c = dsl().selectFrom(CAMPAIGN).where(CAMPAIGN.ID.eq(id)).fetchOne();
        assertThat(c.getTotal()).isEqualTo(2);
        assertThat(c.getSuppressed()).isEqualTo(1);
        assertThat(c.getPending()).isEqualTo(1);
    }

    @Test
    void is_ready_when_postgres_migrations_and_redis_answer() {
        Api.Res r = Api.get("/health/ready", null);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json()).isEqualTo(Api.JSON.valueToTree(Map.of("status", "up", "postgres", "up",
                "migrations", "up", "redis", "up")));
    }

    @Test
    void exposes_prometheus_metrics_with_queue_depth_and_http_timers() {
        Api.get("/api/campaigns", viewer);
        String text = Api.get("/metrics", null).text();
        assertThat(text).contains("mailroom_queue_depth{status=\"queued\"}", "jvm_memory_used_bytes",
                "http_server_requests_seconds_count");
        assertThat(text).contains("route=\"/api/campaigns\"");
    }

    @Test
    void serves_the_console_placeholder_at_the_root() {
        Api.Res r = Api.get("/", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("Mailroom console");
        assertThat(List.of(r.contentType())).anyMatch(t -> t.startsWith("text/html"));
    }
}
