package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.QUEUE_EVENT;
import static dev.mailroom.db.generated.Tables.TEST_EMAIL;
import static dev.mailroom.db.postgres.Times.odt;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.delivery.ReplyText;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.port.DeferralStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/** Deferrals with their reason and time (the CHECK constraint makes any other kind impossible, I3). */
public final class JooqDeferralStore implements DeferralStore {
    private final DSLContext dsl;

    public JooqDeferralStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public boolean deferCampaign(Claim claim, DeferReason reason, Instant until, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int deferred = tx.update(CAMPAIGN_QUEUE)
                    .set(CAMPAIGN_QUEUE.STATUS, "deferred")
                    .set(CAMPAIGN_QUEUE.DEFER_REASON, reason.wire())
                    .set(CAMPAIGN_QUEUE.DEFERRED_UNTIL, odt(until))
                    .setNull(CAMPAIGN_QUEUE.CLAIMED_BY).setNull(CAMPAIGN_QUEUE.CLAIMED_AT)
                    .set(CAMPAIGN_QUEUE.UPDATED_AT, odt(now))
                    .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(claim.campaignId()), CAMPAIGN_QUEUE.FENCE.eq(claim.fence()),
                            CAMPAIGN_QUEUE.STATUS.eq("processing"))
                    .execute();
            if (deferred == 0) return false; // paused, cancelled or taken over meanwhile: nothing to defer
            // One history row, and so one notification, per (campaign, reason, until).
            boolean first = tx.insertInto(QUEUE_EVENT, QUEUE_EVENT.CAMPAIGN_ID, QUEUE_EVENT.STATUS,
                            QUEUE_EVENT.DEFER_REASON, QUEUE_EVENT.DEFERRED_UNTIL)
                    .values(claim.campaignId(), "deferred", reason.wire(), odt(until))
                    .onConflict(QUEUE_EVENT.CAMPAIGN_ID, QUEUE_EVENT.DEFER_REASON, QUEUE_EVENT.DEFERRED_UNTIL)
                    .where(QUEUE_EVENT.STATUS.eq("deferred"))
                    .doNothing().execute() > 0;
            if (first) {
                WebhookOutbox.enqueue(tx, List.of(new WebhookOutbox.Event("deferred", Map.of(
                        "campaign_id", claim.campaignId(), "reason", reason.wire(), "deferred_until", until.toString()))));
            }
            return first;
        });
    }

    @Override
    public void deferTestEmail(long testEmailId, DeferReason reason, Instant until, String lastError) {
        dsl.update(TEST_EMAIL)
                .set(TEST_EMAIL.STATUS, "deferred")
                .set(TEST_EMAIL.DEFER_REASON, reason.wire())
                .set(TEST_EMAIL.DEFERRED_UNTIL, odt(until))
                .set(TEST_EMAIL.LAST_ERROR, ReplyText.clean(lastError))
                .where(TEST_EMAIL.ID.eq(testEmailId), TEST_EMAIL.STATUS.in("queued", "sending", "deferred"))
                .execute();
    }
}
