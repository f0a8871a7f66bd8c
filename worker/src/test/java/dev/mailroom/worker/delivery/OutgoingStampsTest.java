package dev.mailroom.worker.delivery;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.SENDER;
import static dev.mailroom.db.generated.Tables.TEST_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.core.dkim.DkimKeys;
import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.RecipientTokens;
import dev.mailroom.core.secret.RecipientTokens.Addressee;
import dev.mailroom.core.secret.RecipientTokens.Purpose;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.secret.VerpAddress;
import dev.mailroom.core.sender.DkimKey;
import dev.mailroom.db.postgres.JooqSenderStore;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.ReceivedMail;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.SettableClock;
import dev.mailroom.testkit.TestServices;
import dev.mailroom.worker.Fixtures;
import dev.mailroom.worker.Worker;
import dev.mailroom.worker.WorkerHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every message a worker sends carries, read back from the SMTP server that took it and checked by
 * code that is not ours (dkimpy, Python's email parser): the one-click unsubscribe of its own addressee
 * (I18), the sender's DKIM signature, and a VERP envelope sender when the sender has a bounce domain.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class OutgoingStampsTest {
    private static final String PREFIX = TestServices.PUBLIC_URL + "/u/";
    private final Fixtures fx = new Fixtures();
    private final KeyRing ring = KeyRing.fromEnvironment(TestServices.mainEnvironment(Map.of()));
    private final RecipientTokens tokens = new RecipientTokens(ring);
    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();

    /**
     * Seen to fail with I18 broken on purpose: with the List-Unsubscribe-Post header left out of
     * {@code MimeWriter}, the received message had none ("null" for "List-Unsubscribe=One-Click").
     */
    @Test
    void I18_each_campaign_message_carries_a_one_click_unsubscribe_naming_its_own_recipient() throws Exception {
        long sender = fx.sender(smtp.port(), 1000, 10_000);
        long campaign = fx.queuedCampaign(sender, List.of("ann@example.org", "bob@example.org"));
        fx.dsl.update(CAMPAIGN).set(CAMPAIGN.BODY_TEXT, "Hi {{name}}. Leave: {{unsubscribe_url}}")
                .set(CAMPAIGN.HTML, "<a href=\"{{unsubscribe_url}}\">unsubscribe</a>").where(CAMPAIGN.ID.eq(campaign)).execute();
        sendAll(campaign);

        for (String email : List.of("ann@example.org", "bob@example.org")) {
            ReceivedMail mail = receivedBy(email);
            JsonNode seen = DkimPy.check(DkimPy.bytesOf(mail.data()), "v=DKIM1; k=rsa; p=");
            String url = seen.get("list_unsubscribe").asText();
            assertThat(url).startsWith("<" + PREFIX).endsWith(">");
            assertThat(seen.get("list_unsubscribe_post").asText()).isEqualTo("List-Unsubscribe=One-Click");
            String token = url.substring(PREFIX.length() + 1, url.length() - 1);
            assertThat(tokens.verify(Purpose.UNSUBSCRIBE, token)).contains(Addressee.recipient(campaign, recipientId(campaign, email)));
            assertThat(mail.data()).as("{{unsubscribe_url}} in the body is the same link").contains(token);
            assertThat(mail.from()).as("no bounce domain: the envelope sender is the From address").isEqualTo("news@example.com");
            assertThat(seen.get("signature_tags").isEmpty()).as("a sender without a key does not sign").isTrue();
        }
    }

    @Test
    void a_signing_sender_s_campaign_mail_verifies_against_its_dns_record_and_leaves_with_a_verp_envelope_sender() throws Exception {
        long sender = fx.sender(smtp.port(), 1000, 10_000);
        String dnsTxt = signWithNewKey(sender, "example.com", "mr1");
        fx.dsl.update(SENDER).set(SENDER.BOUNCE_DOMAIN, "bounces.example.com").where(SENDER.ID.eq(sender)).execute();
        long campaign = fx.queuedCampaign(sender, List.of("ann@example.org", "bob@example.net"));
        // Non-ASCII (folded, encoded) subject, base64 HTML, and a 7bit text with runs of spaces, trailing
        // whitespace and empty lines at its end: everything relaxed canonicalisation has to get right.
        fx.dsl.update(CAMPAIGN).set(CAMPAIGN.SUBJECT, "Привет, {{name}} — новости за ноябрь, длинная тема письма")
                .set(CAMPAIGN.BODY_TEXT, "Hi  {{name}}, \t\nplan\t {{vars.plan}}  \n\n\n")
                .set(CAMPAIGN.HTML, "<p>Hi {{name}}, café</p>").where(CAMPAIGN.ID.eq(campaign)).execute();
        sendAll(campaign);

        VerpAddress verp = new VerpAddress(tokens);
        for (String email : List.of("ann@example.org", "bob@example.net")) {
            ReceivedMail mail = receivedBy(email);
            JsonNode seen = DkimPy.check(DkimPy.bytesOf(mail.data()), dnsTxt);
            assertThat(seen.get("verified").asBoolean()).as("dkimpy verifies " + email + "'s message").isTrue();
            assertThat(seen.get("tampered_verified").asBoolean()).as("and refuses it once altered").isFalse();
            assertThat(seen.get("dns_names").get(0).asText()).isEqualTo("mr1._domainkey.example.com.");
            JsonNode tags = seen.get("signature_tags");
            assertThat(tags.get("a").asText()).isEqualTo("rsa-sha256");
            assertThat(tags.get("c").asText()).isEqualTo("relaxed/relaxed");
            assertThat(tags.get("d").asText()).isEqualTo("example.com");
            assertThat(List.of(tags.get("h").asText().toLowerCase().split(":"))).contains("from", "to", "subject", "date",
                    "message-id", "mime-version", "content-type", "list-unsubscribe", "list-unsubscribe-post");
            assertThat(seen.get("subject").asText()).startsWith("Привет, N");
            assertThat(mail.from()).startsWith("bounces+").endsWith("@bounces.example.com");
            assertThat(verp.parse(mail.from())).contains(Addressee.recipient(campaign, recipientId(campaign, email)));
        }
    }

    @Test
    void a_signing_sender_s_test_email_is_signed_and_its_links_name_the_test_email_not_a_recipient() throws Exception {
        long sender = fx.sender(smtp.port(), 1000, 10_000);
        String dnsTxt = signWithNewKey(sender, "example.com", "sel-2026.mail");
        fx.dsl.update(SENDER).set(SENDER.BOUNCE_DOMAIN, "bounces.example.com").where(SENDER.ID.eq(sender)).execute();
        long test = fx.dsl.insertInto(TEST_EMAIL).set(TEST_EMAIL.SENDER_ID, sender).set(TEST_EMAIL.TO_EMAIL, "me@example.org")
                .set(TEST_EMAIL.SUBJECT, "Test").set(TEST_EMAIL.BODY_TEXT, "Leave: {{unsubscribe_url}}")
                .returning(TEST_EMAIL.ID).fetchOne(TEST_EMAIL.ID);
        try (Worker w = WorkerHarness.start("stamps")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> smtp.receivedBy("me@example.org") == 1);
        }
        ReceivedMail mail = receivedBy("me@example.org");
        JsonNode seen = DkimPy.check(DkimPy.bytesOf(mail.data()), dnsTxt);
        assertThat(seen.get("verified").asBoolean()).isTrue();
        assertThat(seen.get("dns_names").get(0).asText()).isEqualTo("sel-2026.mail._domainkey.example.com.");
        String url = seen.get("list_unsubscribe").asText();
        assertThat(tokens.verify(Purpose.UNSUBSCRIBE, url.substring(PREFIX.length() + 1, url.length() - 1)))
                .contains(Addressee.testEmail(test));
        assertThat(new VerpAddress(tokens).parse(mail.from())).contains(Addressee.testEmail(test));
    }

    @Test
    void a_sender_whose_key_cannot_be_opened_sends_nothing_unsigned_and_waits_as_refused_until_a_new_key_is_stored() throws Exception {
        long sender = fx.sender(smtp.port(), 1000, 10_000);
        KeyRing gone = KeyRing.parse("gone:" + Base64.getEncoder().encodeToString(new byte[32]));
        fx.dsl.update(SENDER).set(SENDER.DKIM_DOMAIN, "example.com").set(SENDER.DKIM_SELECTOR, "mr1")
                .set(SENDER.DKIM_PRIVATE_KEY, new SecretSealer(gone).seal(DkimKeys.generatePem(), DkimKey.SEAL_PURPOSE))
                .where(SENDER.ID.eq(sender)).execute();
        long campaign = fx.queuedCampaign(sender, List.of("ann@example.org"));
        long test = fx.dsl.insertInto(TEST_EMAIL).set(TEST_EMAIL.SENDER_ID, sender).set(TEST_EMAIL.TO_EMAIL, "me@example.org")
                .set(TEST_EMAIL.SUBJECT, "Test").set(TEST_EMAIL.BODY_TEXT, "Hi").returning(TEST_EMAIL.ID).fetchOne(TEST_EMAIL.ID);
        SettableClock clock = new SettableClock(Instant.parse("2026-11-24T10:00:00Z"));
        try (Worker w = new Worker(WorkerHarness.config("stamps", Map.of()), clock, new SimpleMeterRegistry())) {
            w.runOnce();
            assertThat(smtp.received()).as("nothing leaves unsigned").isEmpty();
            assertThat(fx.dsl.select(CAMPAIGN_QUEUE.STATUS, CAMPAIGN_QUEUE.DEFER_REASON).from(CAMPAIGN_QUEUE)
                    .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaign)).fetchOne().intoArray()).containsExactly("deferred", "sender_refused");
            assertThat(fx.dsl.select(TEST_EMAIL.STATUS, TEST_EMAIL.DEFER_REASON).from(TEST_EMAIL)
                    .where(TEST_EMAIL.ID.eq(test)).fetchOne().intoArray()).containsExactly("deferred", "sender_refused");
            assertThat(fx.dsl.select(SENDER.LAST_ERROR).from(SENDER).where(SENDER.ID.eq(sender)).fetchOne().value1())
                    .contains("DKIM key").contains("gone").doesNotContain("PRIVATE");
            assertThat(fx.count(campaign, "pending")).as("no attempt used up").isEqualTo(1);

            var store = new JooqSenderStore(fx.dsl);
            String pem = DkimKeys.generatePem();
            store.update(store.find(sender).orElseThrow().withDkim(
                    new DkimKey("example.com", "mr2", new SecretSealer(ring).seal(pem, DkimKey.SEAL_PURPOSE))));
            w.runOnce();
            assertThat(fx.status(campaign)).as("a new key wakes the campaign at once").isEqualTo("sent");
            JsonNode seen = DkimPy.check(DkimPy.bytesOf(receivedBy("ann@example.org").data()), DkimKeys.dnsTxt(DkimKeys.parsePem(pem)));
            assertThat(seen.get("verified").asBoolean()).isTrue();
        }
    }

    /** Gives the sender a new key the way the API stores it (sealed, I19); returns the TXT record to publish. */
    private String signWithNewKey(long sender, String domain, String selector) {
        String pem = DkimKeys.generatePem();
        fx.dsl.update(SENDER).set(SENDER.DKIM_DOMAIN, domain).set(SENDER.DKIM_SELECTOR, selector)
                .set(SENDER.DKIM_PRIVATE_KEY, new SecretSealer(ring).seal(pem, DkimKey.SEAL_PURPOSE))
                .where(SENDER.ID.eq(sender)).execute();
        return DkimKeys.dnsTxt(DkimKeys.parsePem(pem));
    }

    private void sendAll(long campaign) {
        try (Worker w = WorkerHarness.start("stamps")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(fx.status(campaign)));
        }
    }

    private ReceivedMail receivedBy(String email) {
        return smtp.received().stream().filter(m -> m.recipient().equals(email)).findFirst().orElseThrow();
    }

    private long recipientId(long campaign, String email) {
        return fx.dsl.select(CAMPAIGN_RECIPIENT.ID).from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaign), CAMPAIGN_RECIPIENT.EMAIL.eq(email))
                .fetchOne(CAMPAIGN_RECIPIENT.ID);
    }
}
