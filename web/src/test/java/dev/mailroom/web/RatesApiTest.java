package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * GET /api/campaigns/{id}/rates: the rate comes from the attempts workers recorded (here written as a worker
 * writes them), so it is the same whoever watches and whenever; the ETA knows the hourly limit.
 */
class RatesApiTest extends WebTestBase {

    @Test
    void the_series_counts_recorded_attempts_per_minute_and_the_eta_waits_for_the_hourly_limit() {
        long sender = createSender("main"); // 100 an hour
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 300; i++) emails.add("r" + i + "@example.com");
        long campaign = createCampaign(sender, emails.toArray(String[]::new));
        assertThat(Api.post("/api/campaigns/" + campaign + "/queue", operator, "").status()).isEqualTo(200);
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "processing").execute(); // a worker claimed it
        // Created ten minutes ago, so that the attempts below fall within its life.
        dsl().update(CAMPAIGN).set(CAMPAIGN.CREATED_AT, OffsetDateTime.now().minusMinutes(10)).where(CAMPAIGN.ID.eq(campaign)).execute();

        Instant now = Instant.now();
        // 40 sent two minutes ago, 40 sent and 2 failed a minute ago, 1 in flight now: as workers record them.
        attempts(campaign, sender, now.minus(Duration.ofMinutes(2)), "sent", 40);
        attempts(campaign, sender, now.minus(Duration.ofMinutes(1)), "sent", 40);
        attempts(campaign, sender, now.minus(Duration.ofMinutes(1)), "failed", 2);
        attempts(campaign, sender, now, "sending", 1);
        long otherCampaign = createCampaign(sender, "x@example.com");
        attempts(otherCampaign, sender, now, "sent", 7); // another campaign of the same sender: not counted

        Api.Res r = Api.get("/api/campaigns/" + campaign + "/rates", viewer);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("bucket_seconds").asInt()).isEqualTo(60);
        int attempts = 0, sent = 0, failed = 0;
        for (JsonNode b : r.get("series")) {
            attempts += b.get("attempts").asInt();
            sent += b.get("sent").asInt();
            failed += b.get("failed").asInt();
            assertThat(Instant.parse(b.get("start").asText()).getEpochSecond() % 60).isZero();
        }
        assertThat(List.of(attempts, sent, failed)).containsExactly(83, 80, 2);
        assertThat(r.get("recent_per_minute").asDouble()).isEqualTo(80 / 5.0);
        assertThat(r.get("sent_per_minute").asDouble()).isPositive();
        assertThat(r.get("remaining").asInt()).isEqualTo(300);
        Instant eta = Instant.parse(r.get("eta").asText());
        assertThat(eta).as("300 left at 100 an hour: two more hours at least").isAfter(now.plus(Duration.ofHours(2)));
        assertThat(r.get("eta_limited_by").asText()).isEqualTo("hourly_limit");
    }

    @Test
    void a_draft_has_no_rate_and_no_eta_and_bad_input_is_a_named_400() {
        long campaign = createCampaign(createSender("main"), "a@example.com");
        Api.Res r = Api.get("/api/campaigns/" + campaign + "/rates", viewer);
        assertThat(r.get("series").size()).isZero();
        assertThat(r.get("sent_per_minute").isNull()).isTrue();
        assertThat(r.get("eta").isNull()).isTrue();
        Api.Res bad = Api.get("/api/campaigns/" + campaign + "/rates?bucket_seconds=5", viewer);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.get("errors").get(0).get("field").asText()).isEqualTo("bucket_seconds");
        assertThat(Api.get("/api/campaigns/999999/rates", viewer).status()).isEqualTo(404);
    }

    private void attempts(long campaign, long sender, Instant at, String outcome, int n) {
        OffsetDateTime when = at.atOffset(ZoneOffset.UTC);
        for (int i = 0; i < n; i++) {
            dsl().insertInto(DELIVERY_ATTEMPT).set(DELIVERY_ATTEMPT.SENDER_ID, sender).set(DELIVERY_ATTEMPT.CAMPAIGN_ID, campaign)
                    .set(DELIVERY_ATTEMPT.ATTEMPT_NO, 1).set(DELIVERY_ATTEMPT.OUTCOME, outcome)
                    .set(DELIVERY_ATTEMPT.WORKER_ID, "w1").set(DELIVERY_ATTEMPT.ATTEMPTED_AT, when).execute();
        }
    }
}
