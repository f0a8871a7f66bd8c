package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.QUEUE_EVENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** send_at: every move to queued re-applies a future one as a deferral with reason scheduled (I3). */
class ScheduleApiTest extends WebTestBase {
    private static final Instant LATER = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);

    private Api.Res act(long id, String action) {
        return Api.post("/api/campaigns/" + id + "/" + action, operator, "");
    }

    private long scheduledCampaign(long sender, Instant sendAt) {
        Map<String, Object> body = new HashMap<>(campaignBody(sender, List.of(recipient("a@example.com", "Ann"))));
        body.put("send_at", sendAt.toString());
        Api.Res r = Api.post("/api/campaigns", operator, Api.json(body));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.get("id").asLong();
    }

    private Api.Res patch(long id, String json) {
        return Api.patch("/api/campaigns/" + id, operator, json);
    }

    @Test
    void I3_queuing_before_send_at_defers_the_campaign_as_scheduled_until_then_and_the_poll_says_so() {
        long sender = createSender("main");
        long id = scheduledCampaign(sender, LATER);
        Api.Res draft = Api.get("/api/campaigns/" + id, viewer);
        assertThat(draft.get("status").asText()).isEqualTo("draft");
        assertThat(draft.get("send_at").asText()).isEqualTo(LATER.toString());

        Api.Res queued = act(id, "queue");
        assertThat(queued.status()).as(queued.toString()).isEqualTo(200);
        assertThat(queued.get("status").asText()).isEqualTo("deferred");
        assertThat(queued.get("defer_reason").asText()).isEqualTo("scheduled");
        assertThat(Instant.parse(queued.get("deferred_until").asText())).isEqualTo(LATER);
        assertThat(dsl().fetchCount(QUEUE_EVENT, QUEUE_EVENT.STATUS.eq("deferred")
                .and(QUEUE_EVENT.DEFER_REASON.eq("scheduled")))).isEqualTo(1);

        Api.Res progress = Api.get("/api/campaigns/" + id + "/progress", viewer);
        assertThat(progress.get("send_at").asText()).isEqualTo(LATER.toString());
        Api.Res poll = Api.get("/api/poll?sender_id=" + sender, viewer);
        assertThat(poll.get("reason_code").asText()).isEqualTo("scheduled");
        assertThat(Instant.parse(poll.get("next_run_at").asText())).isEqualTo(LATER);
        assertThat(Instant.parse(poll.get("next_campaign_at").asText())).isEqualTo(LATER);
    }

    @Test
    void a_past_send_at_queues_at_once() {
        long id = scheduledCampaign(createSender("main"), Instant.now().minus(Duration.ofMinutes(5)));
        Api.Res queued = act(id, "queue");
        assertThat(queued.get("status").asText()).isEqualTo("queued");
        assertThat(queued.get("defer_reason").isNull()).isTrue();
    }

    @Test
    void resuming_a_paused_scheduled_campaign_re_applies_its_send_at() {
        long id = scheduledCampaign(createSender("main"), LATER);
        act(id, "queue");
        assertThat(act(id, "pause").get("status").asText()).isEqualTo("paused");
        Api.Res resumed = act(id, "resume");
        assertThat(resumed.get("status").asText()).isEqualTo("deferred");
        assertThat(resumed.get("defer_reason").asText()).isEqualTo("scheduled");
        assertThat(Instant.parse(resumed.get("deferred_until").asText())).isEqualTo(LATER);
    }

    @Test
    void patching_send_at_holds_a_queued_campaign_moves_its_time_and_clearing_it_makes_it_ready() {
        long id = createCampaign(createSender("main"), "a@example.com");
        assertThat(act(id, "queue").get("status").asText()).isEqualTo("queued");

        Api.Res held = patch(id, "{\"send_at\": \"" + LATER + "\"}");
        assertThat(held.status()).as(held.toString()).isEqualTo(200);
        assertThat(held.get("status").asText()).isEqualTo("deferred");
        assertThat(held.get("defer_reason").asText()).isEqualTo("scheduled");

        Instant later = LATER.plus(Duration.ofHours(3));
        Api.Res moved = patch(id, "{\"send_at\": \"" + later.atOffset(java.time.ZoneOffset.ofHours(3)) + "\"}");
        assertThat(Instant.parse(moved.get("deferred_until").asText())).isEqualTo(later);
        assertThat(Instant.parse(moved.get("send_at").asText())).isEqualTo(later);

        Api.Res cleared = patch(id, "{\"send_at\": null}");
        assertThat(cleared.get("status").asText()).isEqualTo("queued");
        assertThat(cleared.get("send_at").isNull()).isTrue();
        assertThat(cleared.get("deferred_until").isNull()).isTrue();
    }

    @Test
    void patching_a_draft_only_stores_send_at_and_queuing_applies_it() {
        long id = createCampaign(createSender("main"), "a@example.com");
        Api.Res r = patch(id, "{\"send_at\": \"" + LATER + "\"}");
        assertThat(r.get("status").asText()).isEqualTo("draft");
        assertThat(r.get("send_at").asText()).isEqualTo(LATER.toString());
        assertThat(act(id, "queue").get("defer_reason").asText()).isEqualTo("scheduled");
    }

    @Test
    void a_deferral_for_another_reason_keeps_its_reason_when_send_at_is_cleared() {
        long id = createCampaign(createSender("main"), "a@example.com");
        act(id, "queue");
        Instant hour = Instant.now().plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "deferred").set(CAMPAIGN_QUEUE.DEFER_REASON, "rate_hour")
                .set(CAMPAIGN_QUEUE.DEFERRED_UNTIL, hour.atOffset(java.time.ZoneOffset.UTC)).execute();
        Api.Res r = patch(id, "{\"send_at\": null}");
        assertThat(r.get("status").asText()).isEqualTo("deferred");
        assertThat(r.get("defer_reason").asText()).isEqualTo("rate_hour");
    }

    @Test
    void refuses_send_at_on_a_processing_or_final_campaign_and_bad_input_writing_nothing() {
        long id = createCampaign(createSender("main"), "a@example.com");
        act(id, "queue");
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "processing").execute();
        Api.Res processing = patch(id, "{\"send_at\": \"" + LATER + "\"}");
        assertThat(processing.status()).isEqualTo(409);
        assertThat(processing.get("current_status").asText()).isEqualTo("processing");
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "sent").execute();
        assertThat(patch(id, "{\"send_at\": \"" + LATER + "\"}").status()).isEqualTo(409);

        long draft = createCampaign(createSender("other"), "b@example.com");
        Api.Res unknown = patch(draft, "{\"send_at\": null, \"priority\": 1}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.get("errors").get(0).get("field").asText()).isEqualTo("priority");
        assertThat(patch(draft, "{\"send_at\": \"tomorrow\"}").status()).isEqualTo(400);
        assertThat(patch(draft, "{\"send_at\": 1700000000}").status()).isEqualTo(400);
        assertThat(patch(draft, "{}").status()).isEqualTo(400);
        assertThat(patch(draft, "[1]").status()).isEqualTo(400);
        assertThat(Api.patch("/api/campaigns/" + draft, viewer, "{\"send_at\": null}").status()).isEqualTo(403);
        assertThat(patch(999_999, "{\"send_at\": null}").status()).isEqualTo(404);
        assertThat(dsl().fetchCount(CAMPAIGN, CAMPAIGN.SEND_AT.isNotNull())).isZero();

        Map<String, Object> body = new HashMap<>(campaignBody(createSender("third"), List.of(recipient("c@example.com", "C"))));
        body.put("send_at", "next week");
        Api.Res bad = Api.post("/api/campaigns", operator, Api.json(body));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.text()).contains("send_at");
    }
}
