package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.QUEUE_EVENT;

import org.jooq.DSLContext;

/** The history of a queue row's status changes, written in the transaction that changed it. */
public final class QueueEvents {
    public void append(DSLContext tx, long campaignId, String status, String detail) {
        tx.insertInto(QUEUE_EVENT, QUEUE_EVENT.CAMPAIGN_ID, QUEUE_EVENT.STATUS, QUEUE_EVENT.DETAIL)
                .values(campaignId, status, detail).execute();
    }
}
