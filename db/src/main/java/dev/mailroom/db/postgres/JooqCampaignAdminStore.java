package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.QUEUE_EVENT;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.campaign.Controls;
import dev.mailroom.core.error.InvalidTransition;
import dev.mailroom.core.error.NotFound;
import java.util.Iterator;
import org.jooq.DSLContext;

/** Creating campaigns, adding recipients and changing pacing controls — the operator's writes. */
public final class JooqCampaignAdminStore {
    private final DSLContext dsl;

    public JooqCampaignAdminStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    public record Created(long id, int total) {}

    /** One transaction: the campaign row, its draft queue row, a queue_event and its first recipients. */
    public Created create(NewCampaign c, Iterator<NewRecipient> recipients) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            long id = tx.insertInto(CAMPAIGN, CAMPAIGN.NAME, CAMPAIGN.SENDER_ID, CAMPAIGN.SUBJECT, CAMPAIGN.HTML,
                            CAMPAIGN.BODY_TEXT, CAMPAIGN.SEND_AT)
                    .values(c.name(), c.senderId(), c.subject(), c.html(), c.text(), Times.odt(c.sendAt()))
                    .returning(CAMPAIGN.ID).fetchOne(CAMPAIGN.ID);
            tx.insertInto(CAMPAIGN_QUEUE, CAMPAIGN_QUEUE.CAMPAIGN_ID, CAMPAIGN_QUEUE.SENDER_ID, CAMPAIGN_QUEUE.STATUS)
                    .values(id, c.senderId(), CampaignStatus.DRAFT.wire()).execute();
            tx.insertInto(QUEUE_EVENT, QUEUE_EVENT.CAMPAIGN_ID, QUEUE_EVENT.STATUS, QUEUE_EVENT.DETAIL)
                    .values(id, CampaignStatus.DRAFT.wire(), "created").execute();
            JooqRecipientImport.Loaded loaded = JooqRecipientImport.load(tx, id, recipients);
            return new Created(id, loaded.total());
        });
    }

    /**
     * Adds recipients while the campaign is not final (draft, queued, processing, deferred, paused); a
     * final campaign answers {@link InvalidTransition}. The queue row is key-share locked first, for the
     * whole import (I8): whatever would make the campaign final ({@code finishIfDone}, cancel, the
     * reconciler) locks it for update and so waits, then counts these rows too. The worker's own writes
     * (no-key updates) go on meanwhile. Queue row before campaign row, as every other writer does.
     */
    public JooqRecipientImport.Loaded addRecipients(long campaignId, Iterator<NewRecipient> recipients) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            checkOpen(tx, campaignId);
            return JooqRecipientImport.load(tx, campaignId, recipients);
        });
    }

    private static void checkOpen(DSLContext tx, long campaignId) {
        String status = tx.select(CAMPAIGN_QUEUE.STATUS).from(CAMPAIGN_QUEUE).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId))
                .forKeyShare().fetchOptional(CAMPAIGN_QUEUE.STATUS)
                .orElseThrow(() -> new NotFound("campaign", campaignId));
        if (CampaignStatus.fromWire(status).isFinal()) {
            throw new InvalidTransition(campaignId, status, "add recipients to");
        }
    }

    /** Takes effect at the worker's next batch (it re-reads them). */
    public void updateControls(long campaignId, Controls controls) {
        int n = dsl.update(CAMPAIGN).set(CAMPAIGN.BATCH_SIZE, controls.batchSize())
                .set(CAMPAIGN.DELAY_MS, controls.delayMs())
                .set(CAMPAIGN.COOLDOWN_SECONDS, controls.cooldownSeconds())
                .where(CAMPAIGN.ID.eq(campaignId)).execute();
        if (n == 0) throw new NotFound("campaign", campaignId);
    }
}
