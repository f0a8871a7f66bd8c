package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.QUEUE_EVENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.db.redis.RedisSignals;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LifecycleApiTest extends WebTestBase {

    private Api.Res act(long id, String action) {
        return Api.post("/api/campaigns/" + id + "/" + action, operator, "");
    }

    @Test
    void queues_a_draft_once_and_answers_409_with_the_current_status_the_second_time() {
        long id = createCampaign(createSender("main"), "a@example.com");
        Api.Res r = act(id, "queue");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("status").asText()).isEqualTo("queued");
        assertThat(r.get("queued_at").isNull()).isFalse();
        Api.Res again = act(id, "queue");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.get("current_status").asText()).isEqualTo("queued");
        assertThat(dsl().select(QUEUE_EVENT.STATUS).from(QUEUE_EVENT).orderBy(QUEUE_EVENT.ID).fetch(QUEUE_EVENT.STATUS))
                .containsExactly("draft", "queued");
    }

    @Test
    void publishes_a_wake_up_for_the_sender_when_queued() {
        long sender = createSender("main");
        long id = createCampaign(sender, "a@example.com");
        List<Long> woken = new CopyOnWriteArrayList<>();
        RedisSignals signals = new RedisSignals(TestApp.redis());
        try (var listening = signals.onWake(woken::add)) {
            act(id, "queue");
            await().atMost(Duration.ofSeconds(5)).until(() -> woken.contains(sender));
        }
    }

    @Test
    void pauses_and_resumes_keeping_the_original_queued_at() {
        long id = createCampaign(createSender("main"), "a@example.com");
        String queuedAt = act(id, "queue").get("queued_at").asText();
        Api.Res paused = act(id, "pause");
        assertThat(paused.get("status").asText()).isEqualTo("paused");
        assertThat(paused.get("defer_reason").asText()).isEqualTo("paused_by_user");
        assertThat(act(id, "pause").get("current_status").asText()).isEqualTo("paused");
        Api.Res resumed = act(id, "resume");
        assertThat(resumed.get("status").asText()).isEqualTo("queued");
        assertThat(resumed.get("queued_at").asText()).isEqualTo(queuedAt);
        assertThat(resumed.get("defer_reason").isNull()).isTrue();
    }

    @Test
    void pauses_a_processing_campaign_without_touching_its_claim() {
        long id = createCampaign(createSender("main"), "a@example.com");
        act(id, "queue");
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "processing").set(CAMPAIGN_QUEUE.CLAIMED_BY, "w1")
                .set(CAMPAIGN_QUEUE.FENCE, 7L).execute();
        assertThat(act(id, "pause").status()).isEqualTo(200);
        var q = dsl().selectFrom(CAMPAIGN_QUEUE).fetchOne();
        assertThat(q.getClaimedBy()).isEqualTo("w1");
        assertThat(q.getFence()).isEqualTo(7L);
    }

    @Test
    void cancels_keeping_pending_rows_and_refuses_to_pause_a_cancelled_campaign() {
        long id = createCampaign(createSender("main"), "a@example.com", "b@example.com");
        Api.Res c = act(id, "cancel");
        assertThat(c.status()).isEqualTo(200);
        assertThat(c.get("status").asText()).isEqualTo("cancelled");
        assertThat(c.get("finished_at").isNull()).isFalse();
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT, CAMPAIGN_RECIPIENT.STATUS.eq("pending"))).isEqualTo(2);
        Api.Res p = act(id, "pause");
        assertThat(p.status()).isEqualTo(409);
        assertThat(p.get("current_status").asText()).isEqualTo("cancelled");
        assertThat(act(id, "resume").status()).isEqualTo(409);
        assertThat(act(id, "cancel").status()).isEqualTo(409);
    }

    @Test
    void refuses_retry_uncertain_when_no_recipient_is_uncertain() {
        long id = createCampaign(createSender("main"), "a@example.com");
        Api.Res r = act(id, "retry-uncertain");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.get("current_status").asText()).isEqualTo("draft");
    }

    @Test
    void retries_uncertain_recipients_moving_counters_and_requeueing_a_finished_campaign() {
        long id = createCampaign(createSender("main"), "a@example.com", "b@example.com", "c@example.com");
        dsl().update(CAMPAIGN_RECIPIENT).set(CAMPAIGN_RECIPIENT.STATUS, "uncertain")
                .where(CAMPAIGN_RECIPIENT.EMAIL.in("a@example.com", "b@example.com")).execute();
        dsl().update(CAMPAIGN_RECIPIENT).set(CAMPAIGN_RECIPIENT.STATUS, "sent")
                .where(CAMPAIGN_RECIPIENT.EMAIL.eq("c@example.com")).execute();
        dsl().update(CAMPAIGN).set(CAMPAIGN.PENDING, 0).set(CAMPAIGN.UNCERTAIN, 2).set(CAMPAIGN.SENT, 1).execute();
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "completed_with_errors")
                .set(CAMPAIGN_QUEUE.FINISHED_AT, java.time.OffsetDateTime.now()).execute();
        Api.Res r = act(id, "retry-uncertain");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("status").asText()).isEqualTo("queued");
        assertThat(r.get("pending").asInt()).isEqualTo(2);
        assertThat(r.get("uncertain").asInt()).isZero();
        assertThat(r.get("total").asInt()).isEqualTo(3);
        assertThat(r.get("finished_at").isNull()).isTrue();
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT, CAMPAIGN_RECIPIENT.STATUS.eq("pending"))).isEqualTo(2);
        assertThat(act(id, "retry-uncertain").status()).isEqualTo(409);
    }

    @Test
    void answers_404_for_an_unknown_campaign() {
        assertThat(act(999, "queue").status()).isEqualTo(404);
        assertThat(Api.get("/api/campaigns/999", viewer).status()).isEqualTo(404);
    }
}
