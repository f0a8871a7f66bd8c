package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.dkim.DkimKeys;
import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.sender.DkimKey;
import dev.mailroom.testkit.TestServices;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DKIM keys through the API: made or imported, checked, stored sealed (I19), shown only as their DNS record. */
class SenderDkimApiTest extends WebTestBase {
    private final SecretSealer sealer = new SecretSealer(KeyRing.fromEnvironment(TestServices.mainEnvironment(Map.of())));

    @Test
    void I19_a_generated_key_is_stored_sealed_and_shown_only_as_the_dns_record_that_matches_it() {
        long id = createSender("main");
        Api.Res r = Api.post("/api/senders/" + id + "/dkim", admin, "{\"domain\": \"Example.com\", \"selector\": \"mr1\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        var dkim = r.get("dkim");
        assertThat(dkim.get("domain").asText()).isEqualTo("example.com");
        assertThat(dkim.get("selector").asText()).isEqualTo("mr1");
        assertThat(dkim.get("dns_name").asText()).isEqualTo("mr1._domainkey.example.com");
        String txt = dkim.get("dns_txt").asText();
        assertThat(txt).startsWith("v=DKIM1; k=rsa; p=");

        String stored = storedKey(id);
        assertThat(stored).startsWith("v1:").doesNotContain("PRIVATE KEY");
        var key = DkimKeys.parsePem(sealer.open(stored, DkimKey.SEAL_PURPOSE));
        assertThat(key.getModulus().bitLength()).isEqualTo(2048);
        assertThat(DkimKeys.dnsTxt(key)).as("the record published is the stored key's").isEqualTo(txt);

        for (Api.Res view : new Api.Res[] {r, Api.get("/api/senders/" + id, viewer), Api.get("/api/senders", viewer)}) {
            assertThat(view.text()).doesNotContain("PRIVATE KEY").doesNotContain("private_key").doesNotContain(stored)
                    .doesNotContain(base64Body(sealer.open(stored, DkimKey.SEAL_PURPOSE)).substring(0, 40));
        }
        assertThat(Api.get("/api/senders/" + id, viewer).get("dkim").get("dns_txt").asText()).isEqualTo(txt);
    }

    @Test
    void imports_a_pkcs8_key_keeps_it_through_other_changes_and_removes_it_with_null() throws Exception {
        long id = createSender("main");
        String pem = pem(1024);
        Api.Res r = Api.patch("/api/senders/" + id, admin, Api.json(Map.of("dkim",
                Map.of("domain", "example.com", "selector", "imported", "private_key", pem))));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("dkim").get("dns_txt").asText()).isEqualTo(DkimKeys.dnsTxt(DkimKeys.parsePem(pem)));
        assertThat(r.text()).doesNotContain(base64Body(pem).substring(0, 40));
        assertThat(storedKey(id)).startsWith("v1:");
        assertThat(sealer.open(storedKey(id), DkimKey.SEAL_PURPOSE).strip()).isEqualTo(pem.strip());

        Api.Res other = Api.patch("/api/senders/" + id, admin, "{\"hourly_limit\": 7}");
        assertThat(other.get("dkim").get("selector").asText()).isEqualTo("imported");

        Api.Res removed = Api.patch("/api/senders/" + id, admin, "{\"dkim\": null}");
        assertThat(removed.status()).isEqualTo(200);
        assertThat(removed.get("dkim").isNull()).isTrue();
        assertThat(storedKey(id)).isNull();
    }

    @Test
    void a_new_sender_may_bring_its_key_and_a_refused_key_creates_no_sender() throws Exception {
        var body = senderBody("main");
        body.put("dkim", Map.of("domain", "example.com", "selector", "mr1", "private_key", pem(512)));
        assertThat(Api.post("/api/senders", admin, Api.json(body)).status()).isEqualTo(400);
        assertThat(dsl().fetchCount(SENDER)).isZero();
        String pem = pem(2048);
        body.put("dkim", Map.of("domain", "example.com", "selector", "mr1", "private_key", pem));
        Api.Res r = Api.post("/api/senders", admin, Api.json(body));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.get("dkim").get("dns_txt").asText()).isEqualTo(DkimKeys.dnsTxt(DkimKeys.parsePem(pem)));
        assertThat(storedKey(r.get("id").asLong())).startsWith("v1:");
    }

    @Test
    void refuses_a_short_or_broken_key_an_unaligned_domain_and_a_bad_selector_and_writes_nothing() throws Exception {
        long id = createSender("main");
        String good = pem(1024);
        assertRefused(id, Map.of("domain", "example.com", "selector", "s1", "private_key", pem(512)), "dkim.private_key", "1024");
        assertRefused(id, Map.of("domain", "example.com", "selector", "s1", "private_key", "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----"),
                "dkim.private_key", "");
        assertRefused(id, Map.of("domain", "example.com", "selector", "s1", "private_key", good.replace("PRIVATE KEY", "RSA PRIVATE KEY")),
                "dkim.private_key", "");
        assertRefused(id, Map.of("domain", "other.com", "selector", "s1", "private_key", good), "dkim.domain", "DMARC");
        assertRefused(id, Map.of("domain", "mail.example.com", "selector", "s1", "private_key", good), "dkim.domain", "DMARC");
        assertRefused(id, Map.of("domain", "example.com", "selector", "bad_selector!", "private_key", good), "dkim.selector", "");
        assertRefused(id, Map.of("domain", "example.com", "selector", "s1", "private_key", good, "extra", 1), "dkim.extra", "");

        Api.Res generate = Api.post("/api/senders/" + id + "/dkim", admin, "{\"domain\": \"other.com\", \"selector\": \"mr1\"}");
        assertThat(generate.status()).isEqualTo(400);
        assertThat(generate.get("errors").get(0).get("field").asText()).isEqualTo("domain");
        Api.Res unknown = Api.post("/api/senders/" + id + "/dkim", admin, "{\"domain\": \"example.com\", \"selector\": \"mr1\", \"bits\": 4096}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.get("errors").get(0).get("field").asText()).isEqualTo("bits");
        assertThat(Api.patch("/api/senders/" + id, admin, "{\"dkim\": \"yes\"}").status()).isEqualTo(400);
        assertThat(storedKey(id)).isNull();

        assertThat(Api.post("/api/senders/" + id + "/dkim", operator, "{\"domain\": \"example.com\", \"selector\": \"mr1\"}").status())
                .isEqualTo(403);
        assertThat(Api.post("/api/senders/999999/dkim", admin, "{\"domain\": \"example.com\", \"selector\": \"mr1\"}").status())
                .isEqualTo(404);
        assertThat(storedKey(id)).isNull();
    }

    @Test
    void a_from_address_outside_the_key_s_domain_is_refused_while_the_key_stays() {
        long id = createSender("main");
        assertThat(Api.post("/api/senders/" + id + "/dkim", admin, "{\"domain\": \"example.com\", \"selector\": \"mr1\"}").status())
                .isEqualTo(200);
        Api.Res moved = Api.patch("/api/senders/" + id, admin, "{\"from_email\": \"news@other.org\"}");
        assertThat(moved.status()).isEqualTo(400);
        assertThat(moved.get("errors").get(0).get("field").asText()).isEqualTo("from_email");
        Api.Res sub = Api.patch("/api/senders/" + id, admin, "{\"from_email\": \"news@mail.example.com\"}");
        assertThat(sub.status()).as("a subdomain of the key's domain stays aligned").isEqualTo(200);
        Api.Res both = Api.patch("/api/senders/" + id, admin, "{\"from_email\": \"news@other.org\", \"dkim\": null}");
        assertThat(both.status()).isEqualTo(200);
        assertThat(both.get("dkim").isNull()).isTrue();
    }

    private void assertRefused(long id, Map<String, Object> dkim, String field, String mentions) {
        Api.Res r = Api.patch("/api/senders/" + id, admin, Api.json(Map.of("hourly_limit", 9, "dkim", dkim)));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.text()).contains(field).contains(mentions).doesNotContain("PRIVATE KEY");
        assertThat(storedKey(id)).isNull();
        assertThat(dsl().select(SENDER.HOURLY_LIMIT).from(SENDER).where(SENDER.ID.eq(id)).fetchOne().value1())
                .as("nothing of the request is written").isEqualTo(100);
    }

    private static String storedKey(long id) {
        return dsl().select(SENDER.DKIM_PRIVATE_KEY).from(SENDER).where(SENDER.ID.eq(id)).fetchOne().value1();
    }

    private static String pem(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        byte[] der = g.generateKeyPair().getPrivate().getEncoded();
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PRIVATE KEY-----\n";
    }

    /** The key's base64 on one line: what a leak would show. */
    private static String base64Body(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }
}
