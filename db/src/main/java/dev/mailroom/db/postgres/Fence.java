package dev.mailroom.db.postgres;

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

    private static final String SHARED = "select status from campaign_queue where campaign_id = ? and fence = ? for share";
    private static final String EXCLUSIVE = "select status from campaign_queue where campaign_id = ? and fence = ? for update";

    private static String status(DSLContext tx, Claim claim, boolean exclusive) {
        return FixedSql.first(tx, exclusive ? EXCLUSIVE : SHARED, ps -> {
            ps.setLong(1, claim.campaignId());
            ps.setLong(2, claim.fence());
        }, rs -> rs.getString(1)).orElseThrow(() -> new LostClaim(claim.campaignId(), claim.fence()));
    }
}
