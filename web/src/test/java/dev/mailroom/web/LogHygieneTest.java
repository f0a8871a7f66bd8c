package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.testkit.LogCapture;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * I14 for the web tier: a web process started from its environment, then driven through the API with
 * every kind of secret and address it handles (the admin key and keys it creates, an unknown key, SMTP
 * passwords, a webhook secret, recipients in JSON and CSV, test-email and suppression addresses, bounce
 * reports, rejected input); none of it may appear in its text or JSON logs or in anything it prints,
 * start-up lines included.
 *
 * <p>Seen to fail with I14 broken on purpose: with {@code log.info("api key {} created: {}", id, key)} in
 * {@code KeyController.create}, the created operator key showed in the text and JSON logs; with the
 * redaction taken out of {@code WebConfig.toString} (the URL printed as is), the start-up line carried the
 * database password.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class LogHygieneTest {
    private static final String ADMIN_KEY = "admin-key-I14-0123456789abcdef";
    private static final String UNKNOWN_KEY = "mr_unknown-key-I14-9876543210";
    private static final String SMTP_PASSWORD = "smtp-Pa55-I14-first";
    private static final String NEW_SMTP_PASSWORD = "smtp-Pa55-I14-second";
    private static final String WEBHOOK_SECRET = "webhook-secret-I14-xyz";
    private static final List<String> ADDRESSES = List.of("ann.i14@example.org", "bob.i14@example.org",
            "carl.i14@example.org", "dora.i14@example.org", "ops.i14@example.net", "gone.i14@example.org",
            "bounced.i14@example.org");
    private static final List<String> NAMES = List.of("Annabel Fourteen", "Bobby Fourteen", "Carlos Fourteen");

    private int port;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void I14_the_web_tier_logs_no_api_key_password_secret_or_address_in_text_or_json_from_start_up_on() throws Exception {
        String dbPassword = TestServices.dbPassword().isEmpty() ? "db-Pa55word-web-I14" : TestServices.dbPassword();
        String sep = TestServices.dbUrl().contains("?") ? "&" : "?";
        Map<String, String> env = TestServices.mainEnvironment(Map.of("MAILROOM_HTTP_PORT", "0",
                "MAILROOM_HTTP_HOST", "127.0.0.1", "MAILROOM_ADMIN_KEY", ADMIN_KEY, "MAILROOM_DB_PASSWORD", dbPassword,
                "MAILROOM_DB_URL", TestServices.dbUrl() + sep + "password=" + dbPassword));
        List<String> forbidden = new ArrayList<>(List.of(ADMIN_KEY, UNKNOWN_KEY, SMTP_PASSWORD, NEW_SMTP_PASSWORD,
                WEBHOOK_SECRET, dbPassword));
        forbidden.addAll(ADDRESSES);
        forbidden.addAll(NAMES);
        String text;
        String json;
        String logs;
        try (LogCapture capture = new LogCapture()) {
            try (WebMain.Running running = WebMain.start(env)) {
                port = running.app().port();
                forbidden.addAll(driveEveryPathThatSeesASecretOrAnAddress());
            }
            text = capture.text();
            json = capture.json();
            logs = capture.all();
        }
        for (String s : forbidden) assertThat(logs).as("the logs mention %s", s).doesNotContain(s);
        assertThat(text).as("the capture works").contains("web starting with").contains("password=***")
                .contains("created with role operator").contains("revoked").contains("failed authentications");
        assertThat(json).contains("\"loggerName\":\"dev.mailroom.web.WebMain\"");
    }

    /** Returns the keys the API created: they must not be logged either. */
    private List<String> driveEveryPathThatSeesASecretOrAnAddress() throws Exception {
        String operator = call("POST", "/api/keys", ADMIN_KEY, "{\"name\": \"ci\", \"role\": \"operator\"}", 201).get("key").asText();
        String viewer = call("POST", "/api/keys", ADMIN_KEY, "{\"name\": \"ops\", \"role\": \"viewer\"}", 201).get("key").asText();
        var ingestKey = call("POST", "/api/keys", ADMIN_KEY, "{\"name\": \"provider\", \"role\": \"ingest\", "
                + "\"expires_at\": \"2099-01-01T00:00:00Z\"}", 201);
        String ingest = ingestKey.get("key").asText();
        call("GET", "/api/campaigns", UNKNOWN_KEY, null, 401);
        call("POST", "/api/keys", operator, "{\"name\": \"x\", \"role\": \"admin\"}", 403);
        call("GET", "/api/keys", ADMIN_KEY, null, 200);
        call("GET", "/api/campaigns", ingest, null, 403);
        call("DELETE", "/api/keys/" + ingestKey.get("id").asLong(), ADMIN_KEY, null, 204);
        call("GET", "/api/campaigns", ingest, null, 401);
        for (int i = 0; i < 18; i++) call("GET", "/api/campaigns", UNKNOWN_KEY + i, null, 401); // 20 failures
        call("GET", "/api/campaigns", UNKNOWN_KEY, null, 429);

        var sender = WebTestBase.senderBody("main");
        @SuppressWarnings("unchecked")
        var smtp = (Map<String, Object>) sender.get("smtp");
        smtp.put("username", "login.i14@example.net");
        smtp.put("password", SMTP_PASSWORD);
        long senderId = call("POST", "/api/senders", ADMIN_KEY, Api.json(sender), 201).get("id").asLong();
        call("PATCH", "/api/senders/" + senderId, ADMIN_KEY, "{\"smtp\": {\"password\": \"" + NEW_SMTP_PASSWORD + "\"}}", 200);
        call("POST", "/api/senders/" + senderId + "/quota-sync", operator,
                "{\"remaining\": 9000, \"synced_at\": \"2026-01-01T00:00:00Z\"}", 200);
        call("POST", "/api/webhooks", ADMIN_KEY, "{\"url\": \"https://hooks.example.com/hook\", \"secret\": \"" + WEBHOOK_SECRET
                + "\", \"events\": [\"delivered\"]}", 201);

        var recipients = List.<Map<String, Object>>of(Map.of("email", ADDRESSES.get(0), "name", NAMES.get(0)),
                Map.of("email", ADDRESSES.get(1), "name", NAMES.get(1)));
        long campaign = call("POST", "/api/campaigns", operator,
                Api.json(WebTestBase.campaignBody(senderId, recipients)), 201).get("id").asLong();
        call("POST", "/api/campaigns/" + campaign + "/recipients", operator, "text/csv",
                "email,name\n" + ADDRESSES.get(2) + "," + NAMES.get(2) + "\n", 200);
        call("POST", "/api/campaigns/" + campaign + "/recipients", operator, "text/csv",
                "email,name\nbad " + ADDRESSES.get(3) + ",x\n", 400);
        call("POST", "/api/campaigns", operator, Api.json(WebTestBase.campaignBody(senderId,
                List.of(Map.of("email", "broken " + ADDRESSES.get(3), "name", "x")))), 400);
        call("POST", "/api/campaigns/" + campaign + "/queue", operator, "", 200);
        call("POST", "/api/campaigns/" + campaign + "/pause", operator, "", 200);
        call("GET", "/api/campaigns/" + campaign + "/recipients", viewer, null, 200);
        call("POST", "/api/test-emails", operator,
                "{\"sender_id\": " + senderId + ", \"to\": \"" + ADDRESSES.get(4) + "\", \"campaign_id\": " + campaign + "}", 202);
        call("POST", "/api/suppressions", operator, "{\"email\": \"" + ADDRESSES.get(5) + "\", \"reason\": \"manual\"}", 201);
        call("DELETE", "/api/suppressions/" + ADDRESSES.get(5), operator, null, 204);
        call("POST", "/api/events/bounces", operator, "{\"email\": \"" + ADDRESSES.get(6) + "\", \"type\": \"hard\"}", 202);
        call("GET", "/api/poll?sender_id=" + senderId, viewer, null, 200);
        return List.of(operator, viewer, ingest);
    }

    private JsonNode call(String method, String path, String key, String json, int expected) throws Exception {
        return call(method, path, key, "application/json", json, expected);
    }

    private JsonNode call(String method, String path, String key, String contentType, String body, int expected)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", contentType)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(method + " " + path + " → " + res.body()).isEqualTo(expected);
        return res.body().isEmpty() ? Api.JSON.createObjectNode() : Api.JSON.readTree(res.body());
    }
}
