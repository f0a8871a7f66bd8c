package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Reputation at a glance: a campaign's later bounces, complaints and unsubscribes, and a sender's last 7 days. */
class ReputationApiTest extends WebTestBase {

    @Test
    void progress_the_campaign_view_and_the_poll_show_the_reputation_counters_and_rates_over_sent() {
        long sender = createSender("main");
        long id = createCampaign(sender, "a@example.com");
        Api.Res none = Api.get("/api/campaigns/" + id + "/progress", viewer);
        assertThat(none.get("bounce_rate").asDouble()).as("nothing sent yet: 0, not NaN").isZero();
        assertThat(none.get("unsubscribed").asInt()).isZero();

        dsl().update(CAMPAIGN).set(CAMPAIGN.SENT, 200).set(CAMPAIGN.PENDING, 0).set(CAMPAIGN.TOTAL, 200)
                .set(CAMPAIGN.BOUNCED, 2).set(CAMPAIGN.COMPLAINED, 1).set(CAMPAIGN.UNSUBSCRIBED, 4)
                .where(CAMPAIGN.ID.eq(id)).execute();
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "processing").execute();
        for (String path : new String[] {"/api/campaigns/" + id + "/progress", "/api/campaigns/" + id}) {
            Api.Res r = Api.get(path, viewer);
            assertThat(r.get("bounced").asInt()).as(path).isEqualTo(2);
            assertThat(r.get("complained").asInt()).isEqualTo(1);
            assertThat(r.get("unsubscribed").asInt()).isEqualTo(4);
            assertThat(r.get("bounce_rate").asDouble()).isCloseTo(0.01, within(1e-9));
            assertThat(r.get("complaint_rate").asDouble()).isCloseTo(0.005, within(1e-9));
            assertThat(r.get("unsubscribe_rate").asDouble()).isCloseTo(0.02, within(1e-9));
            assertThat(r.get("total").asInt()).as("never part of total").isEqualTo(200);
        }
        Api.Res poll = Api.get("/api/poll?sender_id=" + sender, viewer);
        assertThat(poll.get("active_campaign").get("bounced").asInt()).isEqualTo(2);
        assertThat(poll.get("active_campaign").get("complained").asInt()).isEqualTo(1);
        assertThat(poll.get("active_campaign").get("unsubscribed").asInt()).isEqualTo(4);
    }

    @Test
    void a_sender_s_last_seven_days_count_only_its_own_and_raise_the_alert_at_the_complaint_threshold() {
        long sender = createSender("main");
        long other = createSender("other");
        long campaign = createCampaign(sender, "a@example.com");
        long otherCampaign = createCampaign(other, "b@example.com");
        sent(sender, 1000, "1 hour");
        sent(sender, 500, "8 days");   // before the window
        sent(sender, 30, "2 hours", "refused");
        sent(other, 100, "1 hour");
        later(sender, campaign, "hard", "h1@example.com", "1 day");
        later(sender, campaign, "hard", "h1@example.com", "2 days"); // the same address twice counts once
        later(sender, campaign, "hard", "h2@example.com", "3 days");
        later(sender, campaign, "soft", "s1@example.com", "1 day");
        for (int i = 0; i < 3; i++) later(sender, campaign, "complaint", "c" + i + "@example.com", "1 day");
        later(sender, campaign, "complaint", "old@example.com", "9 days");
        later(other, otherCampaign, "complaint", "x@example.com", "1 day");
        later(sender, null, "complaint", "stranger@example.com", "1 day"); // unmatched: recorded, not counted
        unsubscribed(campaign, "u1@example.com", "1 day");
        unsubscribed(campaign, "u2@example.com", "10 days");
        unsubscribed(otherCampaign, "u3@example.com", "1 day");

        Api.Res r = Api.get("/api/senders/" + sender + "/reputation", viewer);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("window_days").asInt()).isEqualTo(7);
        assertThat(r.get("sent").asLong()).isEqualTo(1000);
        assertThat(r.get("bounced").asLong()).isEqualTo(2);
        assertThat(r.get("complained").asLong()).isEqualTo(3);
        assertThat(r.get("unsubscribed").asLong()).isEqualTo(1);
        assertThat(r.get("bounce_rate").asDouble()).isCloseTo(0.002, within(1e-9));
        assertThat(r.get("complaint_rate").asDouble()).isCloseTo(0.003, within(1e-9));
        assertThat(r.get("unsubscribe_rate").asDouble()).isCloseTo(0.001, within(1e-9));
        assertThat(r.get("complaint_rate_threshold").asDouble()).isEqualTo(0.003);
        assertThat(r.get("alert").asBoolean()).isTrue();

        Api.Res calm = Api.get("/api/senders/" + other + "/reputation", viewer);
        assertThat(calm.get("complained").asLong()).isEqualTo(1);
        assertThat(calm.get("alert").asBoolean()).as("1 of 100 is 1 %").isTrue();
        sent(other, 900, "1 hour");
        assertThat(Api.get("/api/senders/" + other + "/reputation", viewer).get("alert").asBoolean())
                .as("1 of 1000 is under 0.3 %").isFalse();
    }

    @Test
    void a_sender_that_sent_nothing_has_zero_rates_and_no_alert_and_an_unknown_one_is_a_404() {
        long sender = createSender("main");
        Api.Res r = Api.get("/api/senders/" + sender + "/reputation", viewer);
        assertThat(r.get("sent").asLong()).isZero();
        assertThat(r.get("complaint_rate").asDouble()).isZero();
        assertThat(r.get("alert").asBoolean()).isFalse();
        assertThat(Api.get("/api/senders/999999/reputation", viewer).status()).isEqualTo(404);
        assertThat(Api.get("/api/senders/" + sender + "/reputation", null).status()).isEqualTo(401);
    }

    private static void sent(long sender, int n, String ago) {
        sent(sender, n, ago, "sent");
    }

    private static void sent(long sender, int n, String ago, String outcome) {
        dsl().execute("insert into delivery_attempt (sender_id, attempt_no, outcome, worker_id, attempted_at) "
                + "select ?, 1, ?, 'w1', now() - ?::interval from generate_series(1, ?)", sender, outcome, ago, n);
    }

    /** A later report; {@code campaign} null for one that matched no message of ours. */
    private static void later(long sender, Long campaign, String type, String email, String ago) {
        dsl().execute("insert into bounce_event (email, type, sender_id, campaign_id, created_at)"
                + " values (?, ?, ?, ?, now() - ?::interval)", email, type, sender, campaign, ago);
    }

    private static void unsubscribed(long campaign, String email, String ago) {
        dsl().execute("insert into suppression (email, reason, campaign_id, created_at) "
                + "values (?, 'unsubscribe', ?, now() - ?::interval)", email, campaign, ago);
    }
}
