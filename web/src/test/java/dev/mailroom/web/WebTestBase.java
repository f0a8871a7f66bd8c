package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.db.postgres.JooqApiKeyStore;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.web.auth.ApiKeys;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real PostgreSQL and Redis, wiped before each test; fresh keys for each role. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
abstract class WebTestBase {
    String admin;
    String operator;
    String viewer;

    @BeforeEach
    void keys() {
        JooqApiKeyStore store = new JooqApiKeyStore(dsl());
        admin = key(store, "admin");
        operator = key(store, "operator");
        viewer = key(store, "viewer");
    }

    private static String key(JooqApiKeyStore store, String role) {
        String key = ApiKeys.generate();
        store.create("test " + role, role, ApiKeys.hash(key));
        return key;
    }

    static DSLContext dsl() {
        return TestApp.db().dsl();
    }

    static Map<String, Object> senderBody(String name) {
        var smtp = new java.util.HashMap<String, Object>();
        smtp.put("host", "127.0.0.1");
        smtp.put("port", 2525);
        smtp.put("tls", "none");
        smtp.put("username", "u");
        smtp.put("password", "secret-pw");
        var body = new java.util.HashMap<String, Object>();
        body.put("name", name);
        body.put("from_email", "news@example.com");
        body.put("from_name", "Example");
        body.put("smtp", smtp);
        body.put("hourly_limit", 100);
        body.put("monthly_limit", 15000);
        body.put("window", null);
        return body;
    }

    long createSender(String name) {
        Api.Res r = Api.post("/api/senders", admin, Api.json(senderBody(name)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.get("id").asLong();
    }

    static Map<String, Object> campaignBody(long senderId, List<Map<String, Object>> recipients) {
        return Map.of("name", "November news", "sender_id", senderId, "subject", "Hello {{name}}",
                "html", "<p>Hi {{name}}</p>", "text", "Hi {{name}}", "recipients", recipients);
    }

    static Map<String, Object> recipient(String email, String name) {
        return Map.of("email", email, "name", name);
    }

    long createCampaign(long senderId, String... emails) {
        var list = java.util.Arrays.stream(emails).map(e -> recipient(e, "N")).toList();
        Api.Res r = Api.post("/api/campaigns", operator, Api.json(campaignBody(senderId, list)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.get("id").asLong();
    }
}
