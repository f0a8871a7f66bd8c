package dev.mailroom.core.port;

import dev.mailroom.core.campaign.BatchContext;
import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.delivery.RecipientOutcome;
import dev.mailroom.core.recipient.Recipient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The worker's side of the campaign tables. Every write carries the claim's fence (I10) and changes
 * counters in the same transaction as the recipient rows (I9); a lost claim throws LostClaim.
 */
public interface CampaignStore {
    /** Senders with something to do now: ready campaigns, rows left processing, waiting test emails and connection tests. */
    List<Long> sendersWithWork(Instant now);

    /**
     * Called while holding the sender's lock. Takes over a row left processing by a dead worker (its
     * {@code sending} recipients become {@code uncertain}, I7), or claims the oldest ready row.
     */
    Optional<Claim> claimNext(long senderId, String workerId, Instant now);

    /** Empty when the claim is lost. */
    Optional<BatchContext> batchContext(Claim claim);

    /**
     * Pending recipients due now, in id order, leaving out those of {@code skipDomains} (open circuits);
     * suppressed addresses are marked so first and never returned (I13).
     */
    List<Recipient> nextPending(Claim claim, int limit, Instant now, Set<String> skipDomains);

    /** Earliest time a pending recipient waiting for a retry is due, leaving out {@code skipDomains}. */
    Optional<Instant> nextRetryAt(Claim claim, Set<String> skipDomains);

    /**
     * Marks the messages' recipients {@code sending} with their Message-IDs and writes an attempt row for
     * each, committed before any SMTP call (I7). Needs the row still {@code processing}. Returns the ids
     * of the recipients actually marked.
     */
    Set<Long> markSending(Claim claim, List<OutgoingMessage> messages, Instant now);

    void recordOutcomes(Claim claim, List<RecipientOutcome> outcomes, Instant now);

    /** When nothing is pending or sending, writes the honest final status (I8) and releases the claim. */
    Optional<CampaignStatus> finishIfDone(Claim claim, Instant now);

    /** Gives a still-processing row back to the queue (shutdown), or just drops the claim (paused, cancelled). */
    void release(Claim claim, Instant now);
}
