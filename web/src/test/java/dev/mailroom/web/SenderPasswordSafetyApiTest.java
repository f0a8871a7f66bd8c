package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.sender.SmtpSettings;
import dev.mailroom.testkit.TestServices;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stored SMTP password goes only where it was given for, and never in clear across a network unless the
 * sender says so: an admin session in the wrong hands cannot point a sender at its own server to collect it.
 */
class SenderPasswordSafetyApiTest extends WebTestBase {
    private static final SecretSealer SEALER = new SecretSealer(KeyRing.parse(TestServices.SECRET_KEY));

    @Test
    void changing_host_port_tls_or_username_needs_the_password_again_and_writes_nothing_without_it() {
        long id = createSender("main");
        String sealed = storedPassword(id);
        for (String smtp : new String[] {"{\"host\": \"collector.example.net\", \"tls\": \"tls\"}", "{\"port\": 2526}",
                "{\"tls\": \"starttls\"}", "{\"username\": \"someone-else\"}"}) {
            Api.Res r = Api.patch("/api/senders/" + id, admin, "{\"smtp\": " + smtp + "}");
            assertThat(r.status()).as(smtp + " → " + r).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.get("errors").findValuesAsText("field")).as(smtp).containsExactly("smtp.password");
        }
        var row = dsl().selectFrom(SENDER).where(SENDER.ID.eq(id)).fetchOne();
        assertThat(row.getSmtpHost()).isEqualTo("127.0.0.1");
        assertThat(row.getSmtpPort()).isEqualTo(2525);
        assertThat(row.getSmtpPassword()).isEqualTo(sealed);

        Api.Res moved = Api.patch("/api/senders/" + id, admin,
                "{\"smtp\": {\"host\": \"smtp.example.net\", \"tls\": \"starttls\", \"port\": 587, \"password\": \"new-pw\"}}");
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.get("smtp").get("host").asText()).isEqualTo("smtp.example.net");
        assertThat(SEALER.open(storedPassword(id), SmtpSettings.PASSWORD_SEAL_PURPOSE)).isEqualTo("new-pw");
    }

    @Test
    void edits_that_send_the_password_nowhere_new_need_no_password() {
        long id = createSender("main");
        Api.Res r = Api.patch("/api/senders/" + id, admin,
                "{\"hourly_limit\": 7, \"smtp\": {\"host\": \"127.0.0.1\", \"port\": 2525, \"tls\": \"none\", \"username\": \"u\"}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("hourly_limit").asInt()).isEqualTo(7);
        // Without a stored password there is nothing to send elsewhere.
        long bare = createSender("bare", null, null);
        assertThat(Api.patch("/api/senders/" + bare, admin, "{\"smtp\": {\"host\": \"10.1.1.1\", \"port\": 25}}").status())
                .isEqualTo(200);
    }

    @Test
    void auth_in_clear_to_a_relay_off_this_machine_is_refused_unless_the_sender_allows_it() {
        var body = senderBody("remote");
        @SuppressWarnings("unchecked") var smtp = (Map<String, Object>) body.get("smtp");
        smtp.put("host", "smtp.example.net");
        Api.Res refused = Api.post("/api/senders", admin, Api.json(body));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.get("errors").findValuesAsText("field")).containsExactly("smtp.tls");
        assertThat(refused.text()).contains("allow_plaintext_auth");
        assertThat(dsl().fetchCount(SENDER)).isZero();

        smtp.put("allow_plaintext_auth", true);
        Api.Res allowed = Api.post("/api/senders", admin, Api.json(body));
        assertThat(allowed.status()).as(allowed.toString()).isEqualTo(201);
        assertThat(allowed.get("smtp").get("allow_plaintext_auth").asBoolean()).isTrue();
        long id = allowed.get("id").asLong();
        assertThat(Api.get("/api/senders/" + id, viewer).get("smtp").get("allow_plaintext_auth").asBoolean()).isTrue();

        Api.Res off = Api.patch("/api/senders/" + id, admin, "{\"smtp\": {\"allow_plaintext_auth\": false}}");
        assertThat(off.status()).as("turning it off leaves a sender that breaks the rule").isEqualTo(400);
        assertThat(off.get("errors").findValuesAsText("field")).containsExactly("smtp.tls");
        Api.Res tls = Api.patch("/api/senders/" + id, admin,
                "{\"smtp\": {\"allow_plaintext_auth\": false, \"tls\": \"starttls\", \"password\": \"secret-pw\"}}");
        assertThat(tls.status()).as(tls.toString()).isEqualTo(200);
        assertThat(tls.get("smtp").get("allow_plaintext_auth").asBoolean()).isFalse();

        long local = createSender("local"); // 127.0.0.1, tls none, a login: stays on this machine
        assertThat(Api.get("/api/senders/" + local, viewer).get("smtp").get("allow_plaintext_auth").asBoolean()).isFalse();
        Api.Res on = Api.patch("/api/senders/" + local, admin, "{\"smtp\": {\"allow_plaintext_auth\": true}}");
        assertThat(on.get("errors").findValuesAsText("field")).as("allowing clear text moves the password too")
                .containsExactly("smtp.password");
    }

    @Test
    void a_sender_stored_before_the_rule_can_still_be_edited_in_other_ways() {
        long id = createSender("legacy");
        dsl().update(SENDER).set(SENDER.SMTP_HOST, "smtp.example.net").where(SENDER.ID.eq(id)).execute();
        Api.Res r = Api.patch("/api/senders/" + id, admin, "{\"enabled\": false, \"hourly_limit\": 1}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("enabled").asBoolean()).isFalse();
        Api.Res smtp = Api.patch("/api/senders/" + id, admin, "{\"smtp\": {\"password\": \"rotated-pw\"}}");
        assertThat(smtp.status()).as("a new password in clear: the rule applies").isEqualTo(400);
        assertThat(smtp.get("errors").findValuesAsText("field")).containsExactly("smtp.tls");
    }

    private long createSender(String name, String username, String password) {
        var body = senderBody(name);
        @SuppressWarnings("unchecked") var smtp = (Map<String, Object>) body.get("smtp");
        smtp.put("username", username);
        smtp.put("password", password);
        Api.Res r = Api.post("/api/senders", admin, Api.json(body));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.get("id").asLong();
    }

    private static String storedPassword(long id) {
        return dsl().select(SENDER.SMTP_PASSWORD).from(SENDER).where(SENDER.ID.eq(id)).fetchOne().value1();
    }
}
