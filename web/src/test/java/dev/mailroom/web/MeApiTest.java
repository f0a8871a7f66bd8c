package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** GET /api/me: what the console asks first, to show each role only what it may do. */
class MeApiTest extends WebTestBase {

    @Test
    void tells_each_key_its_name_and_role_and_never_echoes_the_key() {
        for (var k : new String[][] {{admin, "admin"}, {operator, "operator"}, {viewer, "viewer"}}) {
            Api.Res r = Api.get("/api/me", k[0]);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.get("role").asText()).isEqualTo(k[1]);
            assertThat(r.get("name").asText()).isEqualTo("test " + k[1]);
            assertThat(r.text()).doesNotContain(k[0]);
        }
    }

    @Test
    void answers_401_problem_json_without_a_key_or_with_an_unknown_one() {
        Api.Res none = Api.get("/api/me", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.contentType()).startsWith("application/problem+json");
        assertThat(Api.get("/api/me", "mr_not-a-key").status()).isEqualTo(401);
    }
}
