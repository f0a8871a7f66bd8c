package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * retry-failed (I15, I13, I9): only recipients whose mailbox did not refuse them and whose address is not
 * suppressed go back to pending, with the counters, and a finished campaign is queued again.
 */
class RetryFailedApiTest extends WebTestBase {
    private long sender;
    private long campaign;

    @BeforeEach
    void finishedCampaignWithEveryKindOfFailure() {
        sender = createSender("main");
        campaign = createCampaign(sender, "policy@example.com", "gone@example.com", "complained@example.com",
                "tired@example.com", "ok@example.com");
        settle("policy@example.com", "failed", "transient", "refused");  // 5.7.1 policy refusal, retries run out
        settle("gone@example.com", "failed", "failed");                  // mailbox refused (and suppressed by the worker)
        settle("complained@example.com", "failed", "refused");
        settle("tired@example.com", "failed", "transient", "transient"); // 4xx until the attempts ran out
        settle("ok@example.com", "sent", "sent");
        dsl().insertInto(SUPPRESSION, SUPPRESSION.EMAIL, SUPPRESSION.REASON).values("complained@example.com", "complaint").execute();
        dsl().update(CAMPAIGN).set(CAMPAIGN.PENDING, 0).set(CAMPAIGN.FAILED, 4).set(CAMPAIGN.SENT, 1)
                .where(CAMPAIGN.ID.eq(campaign)).execute();
        finish("completed_with_errors");
    }

    private Api.Res retry() {
        return Api.post("/api/campaigns/" + campaign + "/retry-failed", operator, "");
    }

    @Test
    void I15_retries_only_recipients_not_refused_by_their_mailbox_nor_suppressed_and_requeues_the_campaign() {
        Api.Res r = retry();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("retried").asInt()).isEqualTo(2);
        assertThat(r.get("status").asText()).isEqualTo("queued");
        assertThat(r.get("finished_at").isNull()).isTrue();
        assertThat(r.get("pending").asInt()).isEqualTo(2);
        assertThat(r.get("failed").asInt()).isEqualTo(2);
        assertThat(r.get("total").asInt()).isEqualTo(5);
        assertThat(status("policy@example.com")).isEqualTo("pending");
        assertThat(status("tired@example.com")).isEqualTo("pending");
        assertThat(status("gone@example.com")).as("a refused mailbox is never retried").isEqualTo("failed");
        assertThat(status("complained@example.com")).as("a suppressed address is never retried").isEqualTo("failed");
        var c = dsl().selectFrom(CAMPAIGN).where(CAMPAIGN.ID.eq(campaign)).fetchOne();
        assertThat(c.getPending()).isEqualTo(dsl().fetchCount(CAMPAIGN_RECIPIENT, CAMPAIGN_RECIPIENT.STATUS.eq("pending")));
        assertThat(c.getFailed()).isEqualTo(dsl().fetchCount(CAMPAIGN_RECIPIENT, CAMPAIGN_RECIPIENT.STATUS.eq("failed")));

        Api.Res again = retry();
        assertThat(again.status()).as("a queued campaign is neither final nor paused").isEqualTo(409);
        assertThat(again.get("current_status").asText()).isEqualTo("queued");
    }

    @Test
    void a_paused_campaign_takes_the_rows_back_and_stays_paused() {
        finish("paused");
        Api.Res r = retry();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.get("retried").asInt()).isEqualTo(2);
        assertThat(r.get("status").asText()).isEqualTo("paused");
        assertThat(r.get("pending").asInt()).isEqualTo(2);
    }

    @Test
    void requeuing_re_applies_a_future_send_at() {
        Instant later = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        dsl().update(CAMPAIGN).set(CAMPAIGN.SEND_AT, later.atOffset(ZoneOffset.UTC)).where(CAMPAIGN.ID.eq(campaign)).execute();
        Api.Res r = retry();
        assertThat(r.get("status").asText()).isEqualTo("deferred");
        assertThat(r.get("defer_reason").asText()).isEqualTo("scheduled");
        assertThat(Instant.parse(r.get("deferred_until").asText())).isEqualTo(later);
    }

    @Test
    void nothing_to_retry_answers_zero_and_leaves_the_campaign_as_it_was() {
        dsl().update(CAMPAIGN_RECIPIENT).set(CAMPAIGN_RECIPIENT.STATUS, "sent")
                .where(CAMPAIGN_RECIPIENT.EMAIL.in("policy@example.com", "tired@example.com")).execute();
        dsl().update(CAMPAIGN).set(CAMPAIGN.FAILED, 2).set(CAMPAIGN.SENT, 3).where(CAMPAIGN.ID.eq(campaign)).execute();
        Api.Res r = retry();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.get("retried").asInt()).isZero();
        assertThat(r.get("status").asText()).isEqualTo("completed_with_errors");
    }

    @Test
    void refuses_a_cancelled_draft_or_running_campaign_writing_nothing() {
        for (String s : new String[] {"cancelled", "draft", "queued", "processing", "deferred"}) {
            if ("deferred".equals(s)) {
                dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, s).set(CAMPAIGN_QUEUE.DEFER_REASON, "rate_hour")
                        .set(CAMPAIGN_QUEUE.DEFERRED_UNTIL, OffsetDateTime.now().plusHours(1)).execute();
            } else {
                finish(s);
            }
            Api.Res r = retry();
            assertThat(r.status()).as(s).isEqualTo(409);
            assertThat(r.get("current_status").asText()).isEqualTo(s);
        }
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT, CAMPAIGN_RECIPIENT.STATUS.eq("pending"))).isZero();
        assertThat(Api.post("/api/campaigns/" + campaign + "/retry-failed", viewer, "").status()).isEqualTo(403);
        assertThat(Api.post("/api/campaigns/999999/retry-failed", operator, "").status()).isEqualTo(404);
    }

    private void finish(String status) {
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, status).setNull(CAMPAIGN_QUEUE.DEFER_REASON)
                .setNull(CAMPAIGN_QUEUE.DEFERRED_UNTIL)
                .set(CAMPAIGN_QUEUE.FINISHED_AT, OffsetDateTime.now()).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaign)).execute();
    }

    private String status(String email) {
        return dsl().select(CAMPAIGN_RECIPIENT.STATUS).from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.EMAIL.eq(email)).fetchOne(CAMPAIGN_RECIPIENT.STATUS);
    }

    /** What a worker leaves: the recipient's status and its attempts, oldest first. */
    private void settle(String email, String status, String... outcomes) {
        long id = dsl().update(CAMPAIGN_RECIPIENT).set(CAMPAIGN_RECIPIENT.STATUS, status)
                .set(CAMPAIGN_RECIPIENT.ATTEMPTS, outcomes.length)
                .where(CAMPAIGN_RECIPIENT.EMAIL.eq(email)).returning(CAMPAIGN_RECIPIENT.ID).fetchOne(CAMPAIGN_RECIPIENT.ID);
        int n = 0;
        for (String outcome : outcomes) {
            dsl().insertInto(DELIVERY_ATTEMPT, DELIVERY_ATTEMPT.SENDER_ID, DELIVERY_ATTEMPT.CAMPAIGN_ID,
                            DELIVERY_ATTEMPT.RECIPIENT_ID, DELIVERY_ATTEMPT.ATTEMPT_NO, DELIVERY_ATTEMPT.OUTCOME,
                            DELIVERY_ATTEMPT.WORKER_ID)
                    .values(sender, campaign, id, ++n, outcome, "w1").execute();
        }
    }
}
