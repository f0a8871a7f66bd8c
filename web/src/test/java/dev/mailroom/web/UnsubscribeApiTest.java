package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static dev.mailroom.db.generated.Tables.WEBHOOK_OUTBOX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.RecipientTokens;
import dev.mailroom.core.secret.RecipientTokens.Addressee;
import dev.mailroom.testkit.TestServices;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 8058 one-click unsubscribe at /u/{token}: no API key, a GET never writes, a POST suppresses (I18, I13). */
class UnsubscribeApiTest extends WebTestBase {
    private static final RecipientTokens TOKENS = new RecipientTokens(KeyRing.parse(TestServices.SECRET_KEY));
    private static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    private long campaign;
    private long annId;

    @BeforeEach
    void campaignWithWebhook() {
        long sender = createSender("main");
        campaign = createCampaign(sender, "ann@example.com", "bob@example.com");
        annId = recipientId(campaign, "ann@example.com");
        Api.Res hook = Api.post("/api/webhooks", admin, Api.json(Map.of("url", "https://hooks.example.com/hook",
                "secret", "hook-secret", "events", List.of("unsubscribed"))));
        assertThat(hook.status()).as(hook.toString()).isEqualTo(201);
    }

    /**
     * Seen to fail with I18 broken on purpose: with {@code UnsubscribeController.page} calling
     * {@code store.unsubscribe} as the POST does, the GET wrote a suppression row (1 for 0).
     */
    @Test
    void I18_a_get_never_changes_anything_and_a_post_suppresses_at_once_without_a_key() {
        String url = "/u/" + token(campaign, annId);
        for (int i = 0; i < 2; i++) {
            Api.Res page = Api.get(url, null);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(page.text()).contains("<html lang=\"en\">", "<title>", "<form method=\"post\"", "<button")
                    .doesNotContain("<script", "style=");
        }
        assertNothingWritten();

        Api.Res done = oneClick(url);
        assertThat(done.status()).isEqualTo(200);
        var row = dsl().selectFrom(SUPPRESSION).where(SUPPRESSION.EMAIL.eq("ann@example.com")).fetchOne();
        assertThat(row).isNotNull();
        assertThat(row.getReason()).isEqualTo("unsubscribe");
        assertThat(row.getCampaignId()).isEqualTo(campaign);
        assertThat(unsubscribed()).isEqualTo(1);
        assertThat(dsl().fetchCount(WEBHOOK_OUTBOX, WEBHOOK_OUTBOX.EVENT.eq("unsubscribed"))).isEqualTo(1);
        assertThat(dsl().select(WEBHOOK_OUTBOX.PAYLOAD).from(WEBHOOK_OUTBOX).fetchOne(WEBHOOK_OUTBOX.PAYLOAD))
                .contains("\"campaign_id\":" + campaign, "\"recipient_id\":" + annId, "ann@example.com");
    }

    @Test
    void the_pages_forbid_scripts_and_inline_styles_and_leak_no_referrer() {
        Api.Res page = Api.get("/u/" + token(campaign, annId), null);
        assertThat(page.status()).isEqualTo(200);
        var headers = rawHeaders("/u/" + token(campaign, annId));
        assertThat(headers.firstValue("Content-Security-Policy").orElse("")).contains("default-src 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(headers.firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void repeating_the_one_click_post_is_harmless() {
        String url = "/u/" + token(campaign, annId);
        assertThat(oneClick(url).status()).isEqualTo(200);
        assertThat(oneClick(url).status()).isEqualTo(200);
        assertThat(dsl().fetchCount(SUPPRESSION)).isEqualTo(1);
        assertThat(unsubscribed()).isEqualTo(1);
        assertThat(dsl().fetchCount(WEBHOOK_OUTBOX, WEBHOOK_OUTBOX.EVENT.eq("unsubscribed"))).isEqualTo(1);
    }

    @Test
    void an_address_already_suppressed_keeps_its_row_and_reason_and_is_not_counted_again() {
        assertThat(Api.post("/api/suppressions", operator, Api.json(Map.of("email", "ann@example.com",
                "reason", "manual"))).status()).isEqualTo(201);
        assertThat(oneClick("/u/" + token(campaign, annId)).status()).isEqualTo(200);
        var row = dsl().selectFrom(SUPPRESSION).where(SUPPRESSION.EMAIL.eq("ann@example.com")).fetchOne();
        assertThat(row.getReason()).isEqualTo("manual");
        assertThat(row.getCampaignId()).isNull();
        assertThat(unsubscribed()).isZero();
        assertThat(dsl().fetchCount(WEBHOOK_OUTBOX)).isZero();
    }

    @Test
    void a_tampered_token_is_a_404_and_writes_nothing() {
        String good = token(campaign, annId);
        char last = good.charAt(good.length() - 1);
        String tampered = good.substring(0, good.length() - 1) + (last == 'a' ? 'b' : 'a');
        String otherPurpose = TOKENS.issue(RecipientTokens.Purpose.BOUNCE, Addressee.recipient(campaign, annId));
        for (String t : List.of(tampered, otherPurpose, "k1.nonsense", "x")) {
            assertThat(Api.get("/u/" + t, null).status()).as(t).isEqualTo(404);
            Api.Res post = oneClick("/u/" + t);
            assertThat(post.status()).as(t).isEqualTo(404);
            assertThat(post.text()).contains("not valid");
        }
        assertNothingWritten();
    }

    @Test
    void a_recipient_that_no_longer_exists_or_belongs_to_another_campaign_is_a_404() {
        long other = createCampaign(dsl().select(CAMPAIGN.SENDER_ID).from(CAMPAIGN).where(CAMPAIGN.ID.eq(campaign))
                .fetchOne(CAMPAIGN.SENDER_ID), "cy@example.com");
        assertThat(oneClick("/u/" + token(other, annId)).status()).isEqualTo(404);
        long bob = recipientId(campaign, "bob@example.com");
        dsl().deleteFrom(CAMPAIGN_RECIPIENT).where(CAMPAIGN_RECIPIENT.ID.eq(bob)).execute();
        dsl().update(CAMPAIGN).set(CAMPAIGN.TOTAL, CAMPAIGN.TOTAL.minus(1)).set(CAMPAIGN.PENDING, CAMPAIGN.PENDING.minus(1))
                .where(CAMPAIGN.ID.eq(campaign)).execute();
        assertThat(Api.get("/u/" + token(campaign, bob), null).status()).isEqualTo(404);
        assertThat(oneClick("/u/" + token(campaign, bob)).status()).isEqualTo(404);
        assertNothingWritten();
    }

    @Test
    void a_test_email_link_shows_the_page_and_the_confirmation_but_suppresses_nobody() {
        long sender = dsl().select(CAMPAIGN.SENDER_ID).from(CAMPAIGN).where(CAMPAIGN.ID.eq(campaign)).fetchOne(CAMPAIGN.SENDER_ID);
        Api.Res queued = Api.post("/api/test-emails", operator, Api.json(Map.of("sender_id", sender,
                "to", "me@example.com", "subject", "Test", "text", "Hi")));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        String url = "/u/" + TOKENS.issue(RecipientTokens.Purpose.UNSUBSCRIBE, Addressee.testEmail(queued.get("id").asLong()));
        assertThat(Api.get(url, null).text()).contains("<form method=\"post\"");
        Api.Res done = oneClick(url);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.text()).contains("unsubscribed");
        assertNothingWritten();
    }

    private void assertNothingWritten() {
        assertThat(dsl().fetchCount(SUPPRESSION)).isZero();
        assertThat(dsl().fetchCount(WEBHOOK_OUTBOX)).isZero();
        assertThat(unsubscribed()).isZero();
    }

    private int unsubscribed() {
        return dsl().select(CAMPAIGN.UNSUBSCRIBED).from(CAMPAIGN).where(CAMPAIGN.ID.eq(campaign)).fetchOne(CAMPAIGN.UNSUBSCRIBED);
    }

    private static String token(long campaignId, long recipientId) {
        return TOKENS.issue(RecipientTokens.Purpose.UNSUBSCRIBE, Addressee.recipient(campaignId, recipientId));
    }

    static long recipientId(long campaignId, String email) {
        return dsl().select(CAMPAIGN_RECIPIENT.ID).from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId), CAMPAIGN_RECIPIENT.EMAIL.eq(email))
                .fetchOne(CAMPAIGN_RECIPIENT.ID);
    }

    /** What a mail client sends (RFC 8058 §3.2): no key, a form body. */
    private static Api.Res oneClick(String url) {
        return Api.post(url, null, "application/x-www-form-urlencoded", HttpRequest.BodyPublishers.ofString(ONE_CLICK));
    }

    private static java.net.http.HttpHeaders rawHeaders(String path) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    java.net.URI.create(TestApp.base() + path)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).headers();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
