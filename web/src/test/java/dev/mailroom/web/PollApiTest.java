package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PollApiTest extends WebTestBase {

    @Test
    void answers_the_contract_shape_with_an_idle_sender() {
        long sender = createSender("main");
        Api.Res r = Api.get("/api/poll", viewer);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        var j = r.json();
        for (String f : List.of("server_time", "sender_id", "smtp_enabled", "active_campaign", "queued_count",
                "next_campaign_at", "reason_code", "next_run_at", "quota")) {
            assertThat(j.has(f)).as(f).isTrue();
        }
        assertThat(j.get("sender_id").asLong()).isEqualTo(sender);
        assertThat(j.get("smtp_enabled").asBoolean()).isTrue();
        assertThat(j.get("active_campaign").isNull()).isTrue();
        assertThat(j.get("queued_count").asInt()).isZero();
        assertThat(j.get("next_campaign_at").isNull()).isTrue();
        assertThat(j.get("quota").get("hour").has("used")).isTrue();
        assertThat(j.get("quota").get("month").has("available")).isTrue();
    }

    @Test
    void needs_a_sender_id_when_there_are_several_senders() {
        long a = createSender("a");
        createSender("b");
        assertThat(Api.get("/api/poll", viewer).status()).isEqualTo(400);
        assertThat(Api.get("/api/poll?sender_id=" + a, viewer).get("sender_id").asLong()).isEqualTo(a);
        assertThat(Api.get("/api/poll?sender_id=999", viewer).status()).isEqualTo(404);
    }

    @Test
    void shows_the_processing_campaign_and_the_queue_behind_it() {
        long sender = createSender("main");
        long running = createCampaign(sender, "a@example.com", "b@example.com");
        long waiting = createCampaign(sender, "c@example.com");
        Api.post("/api/campaigns/" + running + "/queue", operator, "");
        Api.post("/api/campaigns/" + waiting + "/queue", operator, "");
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "processing")
                .set(CAMPAIGN_QUEUE.STARTED_AT, OffsetDateTime.now()).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(running)).execute();
        var j = Api.get("/api/poll?sender_id=" + sender, viewer).json();
        var active = j.get("active_campaign");
        assertThat(active.get("id").asLong()).isEqualTo(running);
        assertThat(active.get("status").asText()).isEqualTo("processing");
        assertThat(active.get("total").asInt()).isEqualTo(2);
        assertThat(active.get("pending").asInt()).isEqualTo(2);
        for (String f : List.of("name", "sent", "failed", "uncertain", "progress_pct", "started_at", "last_batch_at")) {
            assertThat(active.has(f)).as(f).isTrue();
        }
        assertThat(j.get("queued_count").asInt()).isEqualTo(1);
        assertThat(Instant.parse(j.get("next_campaign_at").asText())).as("one is ready now")
                .isEqualTo(Instant.parse(j.get("server_time").asText()));
        assertThat(j.get("reason_code").isNull()).isTrue();
    }

    @Test
    void reports_the_head_deferral_when_nothing_is_processing() {
        long sender = createSender("main");
        long first = createCampaign(sender, "a@example.com");
        long second = createCampaign(sender, "b@example.com");
        Api.post("/api/campaigns/" + first + "/queue", operator, "");
        Api.post("/api/campaigns/" + second + "/queue", operator, "");
        OffsetDateTime later = OffsetDateTime.of(2031, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC);
        OffsetDateTime sooner = OffsetDateTime.of(2030, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC);
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "deferred").set(CAMPAIGN_QUEUE.DEFER_REASON, "rate_hour")
                .set(CAMPAIGN_QUEUE.DEFERRED_UNTIL, later).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(first)).execute();
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "deferred").set(CAMPAIGN_QUEUE.DEFER_REASON, "outside_hours")
                .set(CAMPAIGN_QUEUE.DEFERRED_UNTIL, sooner).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(second)).execute();
        var j = Api.get("/api/poll", viewer).json();
        assertThat(j.get("active_campaign").isNull()).isTrue();
        assertThat(j.get("queued_count").asInt()).isEqualTo(2);
        assertThat(j.get("reason_code").asText()).isEqualTo("rate_hour");
        assertThat(Instant.parse(j.get("next_run_at").asText())).isEqualTo(later.toInstant());
        assertThat(Instant.parse(j.get("next_campaign_at").asText())).isEqualTo(sooner.toInstant());
    }
}
