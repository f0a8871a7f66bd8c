package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;

import dev.mailroom.core.error.LostClaim;
import dev.mailroom.core.port.Claim;
import org.jooq.DSLContext;

/**
 * I10: the first statement of every worker transaction. It share-locks the queue row with the claim's
 * fence, so a takeover (which bumps the fence) waits for this transaction or makes it fail here.
 */
final class Fence {
    private Fence() {}

    /** The claim is still ours (the user may have paused or cancelled meanwhile). */
    static String requireHeld(DSLContext tx, Claim claim) {
        return status(tx, claim, false);
    }

    /**
     * The claim is ours and the campaign is still processing, with the row locked for update: for the
     * transaction that may make the campaign final, so it waits for a recipient import in progress and
     * then counts its rows (I8). (Marking a batch sending checks the same inside its one statement.)
     */
    static boolean holdsProcessingExclusively(DSLContext tx, Claim claim) {
        return "processing".equals(status(tx, claim, true));
    }

    private static String status(DSLContext tx, Claim claim, boolean exclusive) {
        var q = tx.select(CAMPAIGN_QUEUE.STATUS).from(CAMPAIGN_QUEUE)
                .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(claim.campaignId()), CAMPAIGN_QUEUE.FENCE.eq(claim.fence()));
        String status = (exclusive ? q.forUpdate() : q.forShare()).fetchOne(CAMPAIGN_QUEUE.STATUS);
        if (status == null) throw new LostClaim(claim.campaignId(), claim.fence());
        return status;
    }
}
