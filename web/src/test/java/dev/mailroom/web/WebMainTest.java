package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real process entry: environment → migrated database, admin key, Redis quota gate, HTTP. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class WebMainTest {
    private static final String ADMIN_KEY = "test-admin-key-0123456789";

    private static HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void starts_from_the_environment_with_the_admin_key_and_the_redis_quota_gate() throws Exception {
        var env = TestServices.mainEnvironment(Map.of("MAILROOM_HTTP_PORT", "0", "MAILROOM_HTTP_HOST", "127.0.0.1",
                "MAILROOM_ADMIN_KEY", ADMIN_KEY));
        try (WebMain.Running running = WebMain.start(env)) {
            int port = running.app().port();
            assertThat(call(port, "GET", "/health/ready", null).statusCode()).isEqualTo(200);
            var created = call(port, "POST", "/api/senders", Api.json(WebTestBase.senderBody("main")));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            long id = Api.JSON.readTree(created.body()).get("id").asLong();
            var quota = call(port, "GET", "/api/senders/" + id + "/quota", null);
            assertThat(quota.statusCode()).as(quota.body()).isEqualTo(200);
            var month = Api.JSON.readTree(quota.body()).get("month");
            assertThat(month.get("limit").asInt()).isEqualTo(15000);
            assertThat(month.get("available").asInt()).isEqualTo(15000);
            var sync = call(port, "POST", "/api/senders/" + id + "/quota-sync",
                    "{\"remaining\": 9000, \"synced_at\": \"2026-01-01T00:00:00Z\"}");
            assertThat(sync.statusCode()).as(sync.body()).isEqualTo(200);
        }
    }

    @Test
    void refuses_a_short_admin_key() {
        var env = TestServices.mainEnvironment(Map.of("MAILROOM_ADMIN_KEY", "short"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebConfig.fromEnvironment(env))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("short");
    }

    @Test
    void refuses_to_start_without_a_key_ring_or_public_url_outside_development() {
        var env = new java.util.HashMap<>(TestServices.mainEnvironment(Map.of()));
        env.remove("MAILROOM_SECRET_KEY");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebConfig.fromEnvironment(env))
                .hasMessageContaining("MAILROOM_SECRET_KEY is not set");
        env.put("MAILROOM_SECRET_KEY", TestServices.SECRET_KEY);
        env.remove("MAILROOM_PUBLIC_URL");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebConfig.fromEnvironment(env))
                .hasMessageContaining("MAILROOM_PUBLIC_URL is not set");
        env.put("MAILROOM_ENV", "dev");
        assertThat(WebConfig.fromEnvironment(env).publicUrl().base()).isEqualTo("http://127.0.0.1:7070");
    }
}
