package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.bounce.BounceMailbox;
import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.testkit.TestServices;
import org.junit.jupiter.api.Test;

class BounceMailboxApiTest extends WebTestBase {
    private static final String BODY = """
            {"domain": "Bounces.Example.com",
             "imap": {"host": "imap.example.com", "port": 993, "tls": "tls", "username": "bounce-reader", "password": "imap-Secret-73"},
             "folder": "INBOX", "processed_folder": "Mailroom/Processed"}""";

    @Test
    void I19_a_bounce_mailbox_is_stored_with_its_password_sealed_and_never_shown() {
        long sender = createSender("main");
        Api.Res put = Api.put("/api/senders/" + sender + "/bounce-mailbox", admin, BODY);
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.text()).doesNotContain("imap-Secret-73");
        assertThat(put.get("domain").asText()).isEqualTo("bounces.example.com");
        assertThat(put.get("imap").get("password_set").asBoolean()).isTrue();
        assertThat(put.get("imap").get("username").asText()).isEqualTo("bounce-reader");
        assertThat(put.get("processed_folder").asText()).isEqualTo("Mailroom/Processed");
        assertThat(put.get("checked_at").isNull()).isTrue();
        assertThat(put.get("last_error").isNull()).isTrue();

        String stored = dsl().select(SENDER.BOUNCE_IMAP_PASSWORD).from(SENDER).where(SENDER.ID.eq(sender)).fetchSingle().value1();
        assertThat(stored).startsWith("v1:").doesNotContain("imap-Secret-73");
        assertThat(new SecretSealer(KeyRing.parse(TestServices.SECRET_KEY)).open(stored, BounceMailbox.PASSWORD_PURPOSE))
                .isEqualTo("imap-Secret-73");

        Api.Res get = Api.get("/api/senders/" + sender + "/bounce-mailbox", admin);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.text()).doesNotContain("imap-Secret-73").doesNotContain("v1:");
        assertThat(Api.get("/api/senders/" + sender, admin).text()).doesNotContain("imap-Secret-73");
    }

    @Test
    void a_put_without_a_password_keeps_the_stored_one_and_new_settings_are_polled_afresh() {
        long sender = createSender("main");
        Api.put("/api/senders/" + sender + "/bounce-mailbox", admin, BODY);
        String sealed = storedPassword(sender);
        dsl().update(SENDER).set(SENDER.BOUNCE_LAST_ERROR, "the IMAP server refused the login")
                .set(SENDER.BOUNCE_CHECKED_AT, java.time.OffsetDateTime.now()).execute();
        Api.Res r = Api.put("/api/senders/" + sender + "/bounce-mailbox", admin,
                "{\"domain\": \"bounces.example.com\", \"imap\": {\"host\": \"imap2.example.com\", \"tls\": \"starttls\", "
                        + "\"username\": \"bounce-reader\"}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(storedPassword(sender)).isEqualTo(sealed);
        assertThat(r.get("imap").get("port").asInt()).isEqualTo(143);
        assertThat(r.get("folder").asText()).isEqualTo("INBOX");
        assertThat(r.get("last_error").isNull()).isTrue();
        assertThat(r.get("checked_at").isNull()).isTrue();
    }

    @Test
    void invalid_settings_are_a_400_naming_each_field_and_nothing_is_written() {
        long sender = createSender("main");
        Api.Res r = Api.put("/api/senders/" + sender + "/bounce-mailbox", admin,
                "{\"domain\": \"not a domain\", \"imap\": {\"host\": \"\", \"port\": 70000, \"tls\": \"ssl\", "
                        + "\"username\": \"a\\r\\nb\"}, \"folder\": \"INBOX\", \"processed_folder\": \"INBOX\"}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.get("errors").findValuesAsText("field")).contains("domain", "imap.host", "imap.port", "imap.tls",
                "imap.username", "imap.password", "processed_folder");
        assertThat(Api.put("/api/senders/" + sender + "/bounce-mailbox", admin, "{\"domain\": \"b.example.com\"}")
                .get("errors").findValuesAsText("field")).contains("imap");
        assertThat(Api.put("/api/senders/" + sender + "/bounce-mailbox", admin, "{\"imap\": 5}").status()).isEqualTo(400);
        assertThat(storedPassword(sender)).isNull();
        assertThat(Api.get("/api/senders/" + sender + "/bounce-mailbox", admin).status()).isEqualTo(404);
    }

    @Test
    void delete_forgets_the_mailbox_and_its_domain_and_only_admins_see_or_change_it() {
        long sender = createSender("main");
        assertThat(Api.put("/api/senders/" + sender + "/bounce-mailbox", operator, BODY).status()).isEqualTo(403);
        Api.put("/api/senders/" + sender + "/bounce-mailbox", admin, BODY);
        assertThat(Api.get("/api/senders/" + sender + "/bounce-mailbox", viewer).status()).isEqualTo(403);
        assertThat(Api.delete("/api/senders/" + sender + "/bounce-mailbox", admin).status()).isEqualTo(204);
        assertThat(dsl().select(SENDER.BOUNCE_DOMAIN, SENDER.BOUNCE_IMAP_PASSWORD).from(SENDER).where(SENDER.ID.eq(sender))
                .fetchSingle().intoArray()).containsOnlyNulls();
        assertThat(Api.delete("/api/senders/" + sender + "/bounce-mailbox", admin).status()).isEqualTo(404);
        assertThat(Api.put("/api/senders/999999/bounce-mailbox", admin, BODY).status()).isEqualTo(404);
        assertThat(Api.get("/api/senders/abc/bounce-mailbox", admin).status()).isEqualTo(400);
    }

    private static String storedPassword(long sender) {
        return dsl().select(SENDER.BOUNCE_IMAP_PASSWORD).from(SENDER).where(SENDER.ID.eq(sender)).fetchSingle().value1();
    }
}
