package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.postgres.Times.odt;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.campaign.Counts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;

/**
 * A campaign's honest final status (I8), with its history row and campaign.finished webhook, written in
 * the caller's transaction. Shared by the worker finishing its claim and the reconciler finishing an
 * abandoned one, so both report the same way.
 */
final class FinalStatus {
    private static final QueueEvents QUEUE_EVENTS = new QueueEvents();

    private FinalStatus() {}

    /** @param stillOurs narrows the queue row update to the row as the caller checked it */
    static CampaignStatus write(DSLContext tx, long campaignId, Counts counts, Condition stillOurs, Instant now) {
        CampaignStatus status = counts.finalStatus();
        tx.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, status.wire())
                .set(CAMPAIGN_QUEUE.FINISHED_AT, odt(now)).setNull(CAMPAIGN_QUEUE.CLAIMED_BY)
                .set(CAMPAIGN_QUEUE.UPDATED_AT, odt(now))
                .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId), stillOurs)
                .execute();
        QUEUE_EVENTS.append(tx, campaignId, status.wire(), counts.sent() + " sent, " + counts.failed()
                + " failed, " + counts.uncertain() + " uncertain, " + counts.suppressed() + " suppressed");
        WebhookOutbox.enqueue(tx, List.of(new WebhookOutbox.Event("campaign.finished", Map.of(
                "campaign_id", campaignId, "status", status.wire(), "total", counts.total(),
                "sent", counts.sent(), "failed", counts.failed(), "uncertain", counts.uncertain(),
                "suppressed", counts.suppressed()))));
        return status;
    }
}
