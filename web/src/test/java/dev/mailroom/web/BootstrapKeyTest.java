package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** MAILROOM_ADMIN_KEY is the bootstrap admin key: starting a web process with a new value revokes the old one. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class BootstrapKeyTest {
    private static final String FIRST = "bootstrap-first-0123456789";
    private static final String SECOND = "bootstrap-second-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();

    private static WebMain.Running start(String adminKey) {
        return WebMain.start(TestServices.mainEnvironment(Map.of("MAILROOM_HTTP_PORT", "0", "MAILROOM_HTTP_HOST",
                "127.0.0.1", "MAILROOM_ADMIN_KEY", adminKey)));
    }

    private int me(WebMain.Running web, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.app().port() + "/api/me"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private JsonNode keys(WebMain.Running web, String key) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.app().port() + "/api/keys"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()).body();
        return Api.JSON.readTree(body).get("items");
    }

    private JsonNode audit(WebMain.Running web, String key) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.app().port() + "/api/audit"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()).body();
        return Api.JSON.readTree(body).get("items");
    }

    @Test
    void a_new_admin_key_revokes_the_previous_one_in_every_running_web_process() throws Exception {
        try (WebMain.Running first = start(FIRST)) {
            assertThat(me(first, FIRST)).isEqualTo(200);
            try (WebMain.Running second = start(SECOND)) {
                assertThat(me(second, SECOND)).isEqualTo(200);
                assertThat(me(second, FIRST)).isEqualTo(401);
                await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> me(first, FIRST) == 401);
                assertThat(me(first, SECOND)).isEqualTo(200);

                JsonNode items = keys(second, SECOND);
                assertThat(items).hasSize(2);
                assertThat(items.get(0).get("bootstrap").asBoolean()).isTrue();
                assertThat(items.get(0).get("revoked_at").asText()).isNotBlank();
                assertThat(items.get(1).get("bootstrap").asBoolean()).isTrue();
                assertThat(items.get(1).get("revoked_at").isNull()).isTrue();

                JsonNode revoked = audit(second, SECOND).get(0);
                assertThat(revoked.get("action").asText()).isEqualTo("key.revoke");
                assertThat(revoked.get("target_id").asText()).isEqualTo(items.get(0).get("id").asText());
                assertThat(revoked.get("key_id").isNull()).as("the process, not a key").isTrue();
                assertThat(revoked.get("detail").get("reason").asText()).isEqualTo("MAILROOM_ADMIN_KEY changed");
            }
        }
    }

    @Test
    void restarting_with_the_same_key_changes_nothing_and_a_revoked_key_is_never_revived() throws Exception {
        try (WebMain.Running web = start(FIRST)) {
            assertThat(me(web, FIRST)).isEqualTo(200);
        }
        try (WebMain.Running web = start(FIRST)) {
            assertThat(me(web, FIRST)).isEqualTo(200);
        }
        try (WebMain.Running web = start(SECOND)) {
            assertThat(me(web, SECOND)).isEqualTo(200);
        }
        try (WebMain.Running web = start(FIRST)) {
            assertThat(me(web, FIRST)).as("the old value stays revoked").isEqualTo(401);
            assertThat(me(web, SECOND)).as("so the newer one is not revoked for it").isEqualTo(200);
        }
        DSLContext dsl = TestApp.db().dsl();
        assertThat(dsl.fetchCount(API_KEY)).isEqualTo(2);
    }

    @Test
    void keys_created_through_the_api_are_never_revoked_by_a_new_admin_key() throws Exception {
        String created;
        try (WebMain.Running web = start(FIRST)) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.app().port() + "/api/keys"))
                    .header("Authorization", "Bearer " + FIRST).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"ops admin\", \"role\": \"admin\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            created = Api.JSON.readTree(r.body()).get("key").asText();
        }
        try (WebMain.Running web = start(SECOND)) {
            assertThat(me(web, created)).isEqualTo(200);
            assertThat(me(web, FIRST)).isEqualTo(401);
        }
    }
}
