package dev.mailroom.core.port;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.campaign.Counts;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the reconciler reads and repairs. Reads are cheap candidates; every repair re-checks its
 * condition under a row lock in its own transaction, so reconcilers on several workers may overlap.
 */
public interface ReconcileStore {
    /** A processing queue row and how many of its recipients are still pending or sending. */
    record Processing(long campaignId, long senderId, int open) {}

    /** A campaign that is not processing yet has recipients left {@code sending}. */
    record Orphaned(long campaignId, long senderId, int sending) {}

    /** A campaign's counters as stored and as recounted from its recipient rows (I9). */
    record Drift(long campaignId, Counts stored, Counts actual) {}

    List<Processing> processing();

    /** I8: the honest final status, written only if the row is still processing with nothing open. */
    Optional<CampaignStatus> finishAbandoned(long campaignId, Instant now);

    /** Campaigns not finished, or finished since {@code since}, whose counters disagree with their recipients. */
    List<Drift> drifted(Instant since);

    /** Sets the counters to the recount, in one transaction; empty when they agreed by then. */
    Optional<Drift> recount(long campaignId);

    List<Orphaned> orphanedSending();

    /**
     * I7: their {@code sending} recipients become {@code uncertain} (never re-sent by themselves), if the
     * row is still not processing. While a worker still holds the claim (it may be recording that very
     * batch, its lock key lost with Redis) only rows marked before {@code claimedSendingBefore} are
     * taken. Returns how many.
     */
    int markOrphanedUncertain(long campaignId, Instant now, Instant claimedSendingBefore);
}
