package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.TEST_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** I13 at the door: a test email to a suppressed address is refused when it is asked for, not queued to be skipped. */
class TestEmailSuppressedApiTest extends WebTestBase {

    @Test
    void I13_a_test_email_to_a_suppressed_address_is_a_409_problem_and_nothing_is_queued() {
        long sender = createSender("main");
        assertThat(Api.post("/api/suppressions", operator, "{\"email\": \"gone@example.com\", \"reason\": \"hard_bounce\"}")
                .status()).isEqualTo(201);
        String body = Api.json(Map.of("sender_id", sender, "to", "Gone@Example.COM", "subject", "Hi", "text", "t"));

        Api.Res r = Api.post("/api/test-emails", operator, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.get("type").asText()).isEqualTo("/problems/suppressed");
        assertThat(r.get("status").asInt()).isEqualTo(409);
        assertThat(r.get("detail").asText()).contains("suppression list").contains("hard_bounce");
        assertThat(dsl().fetchCount(TEST_EMAIL)).isZero();

        assertThat(Api.delete("/api/suppressions/gone@example.com", operator).status()).isEqualTo(204);
        assertThat(Api.post("/api/test-emails", operator, body).status()).as("lifted: it may go").isEqualTo(202);
        assertThat(dsl().fetchCount(TEST_EMAIL)).isEqualTo(1);
    }
}
