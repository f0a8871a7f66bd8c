package dev.mailroom.core.defer;

import dev.mailroom.core.port.Claim;
import dev.mailroom.core.port.DeferralStore;
import dev.mailroom.core.port.LiveEvents;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The one way anything waits (I3): records the reason and the time, releases the claim so the next
 * ready campaign can run (I12), and notifies once per (campaign, reason, until).
 */
public final class DeferService {
    private final DeferralStore store;
    private final LiveEvents events;

    public DeferService(DeferralStore store, LiveEvents events) {
        this.store = store;
        this.events = events;
    }

    /**
     * For a user's move inside its own transaction (queue, resume, retry, a new send_at): nothing is
     * published before that transaction commits; the caller answers with where the campaign landed.
     */
    public static DeferService withinTransaction(DeferralStore transactionStore) {
        return new DeferService(transactionStore, (campaignId, list) -> { });
    }

    public void deferCampaign(Claim claim, DeferReason reason, Instant until, Instant now) {
        Instant effective = until.isAfter(now) ? until : now.plusSeconds(1);
        if (store.deferCampaign(claim, reason, effective, now)) {
            events.publish(claim.campaignId(), "deferred",
                    Map.of("reason", reason.wire(), "deferred_until", effective.toString()));
        }
    }

    /** Every move to queued re-applies a future send_at: deferred, reason scheduled, until then (I3). */
    public Optional<Wait> holdUntilSendAt(long campaignId, Instant now) {
        return store.holdUntilSendAt(campaignId, now);
    }

    public void deferTestEmail(long testEmailId, DeferReason reason, Instant until, String lastError) {
        store.deferTestEmail(testEmailId, reason, until, lastError);
    }
}
