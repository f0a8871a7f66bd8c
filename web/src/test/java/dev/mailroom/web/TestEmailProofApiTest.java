package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.TEST_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Proofing a live campaign (issue 15): a test email of a campaign names the recipient whose data renders it
 * (the one asked for, else the campaign's first), may go to several addresses at once, and the campaign page
 * lists its test emails. The rendering itself is the worker's (see the worker's SendLoopTest).
 */
class TestEmailProofApiTest extends WebTestBase {

    private List<Long> recipientIds(long campaign) {
        List<Long> ids = new ArrayList<>();
        Api.get("/api/campaigns/" + campaign + "/recipients", viewer).get("items").forEach(r -> ids.add(r.get("id").asLong()));
        return ids;
    }

    private static void assertOneFieldError(Api.Res r, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.get("errors")).as(r.toString()).hasSize(1);
        assertThat(r.get("errors").get(0).get("field").asText()).isEqualTo(field);
    }

    @Test
    void a_campaign_s_test_email_is_rendered_as_its_first_recipient_unless_one_is_named_and_goes_through_its_sender() {
        long sender = createSender("main");
        long campaign = createCampaign(sender, "ann@example.org", "bob@example.org");
        List<Long> recipients = recipientIds(campaign);

        Api.Res first = Api.post("/api/test-emails", operator, Api.json(Map.of("to", "me@example.com", "campaign_id", campaign)));
        assertThat(first.status()).as(first.toString()).isEqualTo(202);
        assertThat(first.get("status").asText()).isEqualTo("queued");
        assertThat(first.get("to").asText()).isEqualTo("me@example.com");
        assertThat(first.get("recipient_id").asLong()).as("the campaign's first recipient").isEqualTo(recipients.get(0));

        Api.Res named = Api.post("/api/test-emails", operator, Api.json(Map.of("sender_id", sender, "to", "me@example.com",
                "campaign_id", campaign, "recipient_id", recipients.get(1))));
        assertThat(named.status()).as(named.toString()).isEqualTo(202);
        assertThat(named.get("recipient_id").asLong()).isEqualTo(recipients.get(1));

        var rows = dsl().selectFrom(TEST_EMAIL).orderBy(TEST_EMAIL.ID).fetch();
        assertThat(rows).extracting(r -> r.getRecipientId()).containsExactly(recipients.get(0), recipients.get(1));
        assertThat(rows).extracting(r -> r.getSenderId()).as("sender_id defaults to the campaign's").containsOnly(sender);
        assertThat(rows).extracting(r -> r.getSubject()).as("copied as written: the worker renders it")
                .containsOnly("Hello {{name}}");

        JsonNode view = Api.get("/api/test-emails/" + named.get("id").asLong(), viewer).json();
        assertThat(view.get("recipient_id").asLong()).isEqualTo(recipients.get(1));
        assertThat(view.get("campaign_id").asLong()).isEqualTo(campaign);
        assertThat(view.get("to").asText()).isEqualTo("me@example.com");
        assertThat(view.get("created_at").asText()).endsWith("Z");
    }

    @Test
    void a_recipient_of_another_campaign_or_none_is_a_400_naming_recipient_id_and_nothing_is_queued() {
        long sender = createSender("main");
        long campaign = createCampaign(sender, "ann@example.org");
        long other = createCampaign(sender, "zoe@example.org");
        long zoe = recipientIds(other).get(0);

        assertOneFieldError(Api.post("/api/test-emails", operator, Api.json(Map.of("to", "me@example.com",
                "campaign_id", campaign, "recipient_id", zoe))), "recipient_id");
        assertOneFieldError(Api.post("/api/test-emails", operator, Api.json(Map.of("to", "me@example.com",
                "campaign_id", campaign, "recipient_id", 999_999))), "recipient_id");
        assertOneFieldError(Api.post("/api/test-emails", operator, Api.json(Map.of("sender_id", sender, "to", "me@example.com",
                "recipient_id", zoe, "subject", "Hi", "text", "t"))), "recipient_id");
        assertOneFieldError(Api.post("/api/test-emails", operator, Api.json(Map.of("to", "me@example.com",
                "subject", "Hi", "text", "t"))), "sender_id");
        assertOneFieldError(Api.post("/api/test-emails", operator, Api.json(Map.of("to", "me@example.com",
                "campaign_id", 999_999))), "campaign_id");
        assertThat(dsl().fetchCount(TEST_EMAIL)).isZero();
    }

    @Test
    void a_campaign_without_recipients_is_proofed_with_empty_placeholders() {
        long sender = createSender("main");
        Api.Res c = Api.post("/api/campaigns", operator, Api.json(campaignBody(sender, List.of())));
        assertThat(c.status()).as(c.toString()).isEqualTo(201);
        Api.Res r = Api.post("/api/test-emails", operator, Api.json(Map.of("to", "me@example.com", "campaign_id",
                c.get("id").asLong())));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        assertThat(r.get("recipient_id").isNull()).isTrue();
    }

    @Test
    void several_addresses_are_queued_together_and_answered_as_a_list_in_their_order() {
        long sender = createSender("main");
        long campaign = createCampaign(sender, "ann@example.org");
        Api.Res r = Api.post("/api/test-emails", operator, Api.json(Map.of("campaign_id", campaign,
                "to", List.of("me@example.com", "boss@example.com", "qa@example.net"))));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        JsonNode list = r.get("test_emails");
        assertThat(list).hasSize(3);
        assertThat(list).extracting(e -> e.get("to").asText()).containsExactly("me@example.com", "boss@example.com", "qa@example.net");
        assertThat(list).extracting(e -> e.get("status").asText()).containsOnly("queued");
        assertThat(list.get(0).get("id").asLong()).isLessThan(list.get(1).get("id").asLong());
        assertThat(dsl().fetchCount(TEST_EMAIL)).isEqualTo(3);

        Api.Res one = Api.post("/api/test-emails", operator, Api.json(Map.of("campaign_id", campaign, "to", List.of("solo@example.com"))));
        assertThat(one.get("test_emails")).as("an array of one is still a list").hasSize(1);
        Api.Res single = Api.post("/api/test-emails", operator, Api.json(Map.of("campaign_id", campaign, "to", "solo@example.com")));
        assertThat(single.get("id").isIntegralNumber()).as("a single address keeps the single object").isTrue();
        assertThat(single.get("test_emails").isMissingNode()).isTrue();
    }

    @Test
    void one_bad_repeated_or_suppressed_address_among_several_queues_none() {
        long sender = createSender("main");
        long campaign = createCampaign(sender, "ann@example.org");
        assertOneFieldError(Api.post("/api/test-emails", operator, Api.json(Map.of("campaign_id", campaign,
                "to", List.of("me@example.com", "not-an-address")))), "to[1]");
        assertOneFieldError(Api.post("/api/test-emails", operator, Api.json(Map.of("campaign_id", campaign,
                "to", List.of("me@example.com", "you@example.com", "Me@Example.com")))), "to[2]");
        assertOneFieldError(Api.post("/api/test-emails", operator, Api.json(Map.of("campaign_id", campaign,
                "to", List.of()))), "to");
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) eleven.add("qa" + i + "@example.com");
        assertOneFieldError(Api.post("/api/test-emails", operator, Api.json(Map.of("campaign_id", campaign, "to", eleven))), "to");
        assertOneFieldError(Api.post("/api/test-emails", operator, Api.json(Map.of("campaign_id", campaign, "to", 42))), "to");

        assertThat(Api.post("/api/suppressions", operator, "{\"email\": \"gone@example.com\", \"reason\": \"complaint\"}").status())
                .isEqualTo(201);
        Api.Res suppressed = Api.post("/api/test-emails", operator, Api.json(Map.of("campaign_id", campaign,
                "to", List.of("me@example.com", "gone@example.com"))));
        assertThat(suppressed.status()).as(suppressed.toString()).isEqualTo(409);
        assertThat(suppressed.get("detail").asText()).contains("gone@example.com");
        assertThat(dsl().fetchCount(TEST_EMAIL)).isZero();
    }

    @Test
    void a_campaign_s_test_emails_are_listed_newest_first_with_their_address_and_time() {
        long sender = createSender("main");
        long campaign = createCampaign(sender, "ann@example.org");
        long other = createCampaign(sender, "bob@example.org");
        Api.post("/api/test-emails", operator, Api.json(Map.of("campaign_id", campaign, "to", List.of("a@example.com", "b@example.com"))));
        Api.post("/api/test-emails", operator, Api.json(Map.of("campaign_id", other, "to", "x@example.com")));
        Api.post("/api/test-emails", operator, Api.json(Map.of("sender_id", sender, "to", "y@example.com", "subject", "s", "text", "t")));
        Api.post("/api/test-emails", operator, Api.json(Map.of("campaign_id", campaign, "to", "c@example.com")));

        Api.Res page = Api.get("/api/test-emails?campaign_id=" + campaign + "&limit=2", viewer);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.get("items")).extracting(e -> e.get("to").asText()).containsExactly("c@example.com", "b@example.com");
        JsonNode newest = page.get("items").get(0);
        assertThat(newest.get("status").asText()).isEqualTo("queued");
        assertThat(newest.get("created_at").asText()).endsWith("Z");
        for (String f : List.of("id", "message_id", "last_error", "defer_reason", "deferred_until", "campaign_id", "recipient_id")) {
            assertThat(newest.has(f)).as(f).isTrue();
        }
        String cursor = page.get("next_cursor").asText();
        Api.Res rest = Api.get("/api/test-emails?campaign_id=" + campaign + "&limit=2&cursor=" + cursor, viewer);
        assertThat(rest.get("items")).extracting(e -> e.get("to").asText()).containsExactly("a@example.com");
        assertThat(rest.get("next_cursor").isNull()).isTrue();

        assertThat(Api.get("/api/test-emails", viewer).status()).as("campaign_id is required").isEqualTo(400);
        assertThat(Api.get("/api/test-emails?campaign_id=999999", viewer).status()).isEqualTo(404);
        assertThat(Api.get("/api/test-emails?campaign_id=" + campaign, null).status()).isEqualTo(401);
    }
}
