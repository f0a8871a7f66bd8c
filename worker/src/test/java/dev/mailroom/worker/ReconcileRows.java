package dev.mailroom.worker;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Queue and recipient states a dead worker or a bug leaves behind, written directly. */
final class ReconcileRows {
    private final DSLContext dsl;

    ReconcileRows(Fixtures fx) {
        this.dsl = fx.dsl;
    }

    /** Moves the first {@code n} recipients in {@code from}; the counters follow only when {@code counted}. */
    void move(long campaignId, String from, String to, int n, boolean counted) {
        var ids = dsl.select(CAMPAIGN_RECIPIENT.ID).from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId), CAMPAIGN_RECIPIENT.STATUS.eq(from))
                .orderBy(CAMPAIGN_RECIPIENT.ID).limit(n);
        dsl.update(CAMPAIGN_RECIPIENT).set(CAMPAIGN_RECIPIENT.STATUS, to).where(CAMPAIGN_RECIPIENT.ID.in(ids)).execute();
        if (!counted) return;
        var fromCol = CAMPAIGN.field(from, Integer.class);
        var toCol = CAMPAIGN.field(to, Integer.class);
        dsl.update(CAMPAIGN).set(fromCol, fromCol.minus(n)).set(toCol, toCol.plus(n))
                .where(CAMPAIGN.ID.eq(campaignId)).execute();
    }

    /** One attempt row per recipient currently {@code sending}, as markSending writes them. */
    void attemptsFor(long campaignId, long senderId, String outcome) {
        dsl.insertInto(DELIVERY_ATTEMPT, DELIVERY_ATTEMPT.SENDER_ID, DELIVERY_ATTEMPT.CAMPAIGN_ID,
                        DELIVERY_ATTEMPT.RECIPIENT_ID, DELIVERY_ATTEMPT.ATTEMPT_NO, DELIVERY_ATTEMPT.OUTCOME,
                        DELIVERY_ATTEMPT.WORKER_ID)
                .select(DSL.select(DSL.val(senderId), CAMPAIGN_RECIPIENT.CAMPAIGN_ID, CAMPAIGN_RECIPIENT.ID,
                                DSL.val(1), DSL.val(outcome), DSL.val("dead-worker"))
                        .from(CAMPAIGN_RECIPIENT)
                        .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId), CAMPAIGN_RECIPIENT.STATUS.eq("sending")))
                .execute();
    }

    void processing(long campaignId, String claimedBy) {
        dsl.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "processing").set(CAMPAIGN_QUEUE.FENCE, 1L)
                .set(CAMPAIGN_QUEUE.CLAIMED_BY, claimedBy).set(CAMPAIGN_QUEUE.CLAIMED_AT, DSL.currentOffsetDateTime())
                .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId)).execute();
    }

    void status(long campaignId, String status) {
        dsl.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, status).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId)).execute();
    }

    long fence(long campaignId) {
        return dsl.select(CAMPAIGN_QUEUE.FENCE).from(CAMPAIGN_QUEUE).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId))
                .fetchOne(CAMPAIGN_QUEUE.FENCE);
    }
}
