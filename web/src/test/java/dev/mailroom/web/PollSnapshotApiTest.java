package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** The poll's shared snapshot seen over HTTP: its age is shown, writes through this process show at once. */
class PollSnapshotApiTest extends WebTestBase {

    @Test
    void says_as_of_when_its_data_was_read_beside_the_request_time() {
        createSender("main");
        var j = Api.get("/api/poll", viewer).json();
        Instant asOf = Instant.parse(j.get("as_of").asText());
        Instant serverTime = Instant.parse(j.get("server_time").asText());
        assertThat(asOf).isBeforeOrEqualTo(serverTime).isAfter(serverTime.minusSeconds(1));
    }

    @Test
    void a_write_through_this_process_shows_on_the_next_poll() {
        long sender = createSender("main");
        assertThat(Api.get("/api/poll?sender_id=" + sender, viewer).get("queued_count").asInt()).isZero();
        long campaign = createCampaign(sender, "a@example.com");
        Api.post("/api/campaigns/" + campaign + "/queue", operator, "");
        assertThat(Api.get("/api/poll?sender_id=" + sender, viewer).get("queued_count").asInt()).isEqualTo(1);
    }

    @Test
    void a_change_made_elsewhere_shows_within_the_refresh_interval() {
        long sender = createSender("main");
        long campaign = createCampaign(sender, "a@example.com", "b@example.com");
        Api.post("/api/campaigns/" + campaign + "/queue", operator, "");
        assertThat(Api.get("/api/poll?sender_id=" + sender, viewer).get("active_campaign").isNull()).isTrue();
        // As a worker would: straight to PostgreSQL, not through this web process.
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "processing")
                .set(CAMPAIGN_QUEUE.STARTED_AT, OffsetDateTime.now()).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaign)).execute();
        long changedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !Api.get("/api/poll?sender_id=" + sender, viewer).get("active_campaign").isNull());
        assertThat(Duration.ofNanos(System.nanoTime() - changedAt)).as("shown within 250 ms and one read")
                .isLessThan(Duration.ofSeconds(2));
    }
}
