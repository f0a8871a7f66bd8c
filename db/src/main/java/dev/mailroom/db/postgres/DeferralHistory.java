package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.QUEUE_EVENT;
import static dev.mailroom.db.postgres.Times.odt;

import dev.mailroom.core.defer.DeferReason;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/** The record a deferral leaves (I3), in its transaction: one history row and one webhook per (campaign, reason, until). */
final class DeferralHistory {
    private DeferralHistory() {}

    /** @return true for the first record of this (campaign, reason, until): it deserves a notification */
    static boolean record(DSLContext tx, long campaignId, DeferReason reason, Instant until) {
        boolean first = tx.insertInto(QUEUE_EVENT, QUEUE_EVENT.CAMPAIGN_ID, QUEUE_EVENT.STATUS,
                        QUEUE_EVENT.DEFER_REASON, QUEUE_EVENT.DEFERRED_UNTIL)
                .values(campaignId, "deferred", reason.wire(), odt(until))
                .onConflict(QUEUE_EVENT.CAMPAIGN_ID, QUEUE_EVENT.DEFER_REASON, QUEUE_EVENT.DEFERRED_UNTIL)
                .where(QUEUE_EVENT.STATUS.eq("deferred"))
                .doNothing().execute() > 0;
        if (first) {
            WebhookOutbox.enqueue(tx, List.of(new WebhookOutbox.Event("deferred", Map.of(
                    "campaign_id", campaignId, "reason", reason.wire(), "deferred_until", until.toString()))));
        }
        return first;
    }
}
