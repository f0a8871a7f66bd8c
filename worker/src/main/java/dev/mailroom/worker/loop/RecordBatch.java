package dev.mailroom.worker.loop;

import dev.mailroom.core.delivery.OutcomePolicy;
import dev.mailroom.core.delivery.RecipientOutcome;
import dev.mailroom.core.port.CampaignStore;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.port.LiveEvents;
import dev.mailroom.core.recipient.Recipient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Settles a sent batch: the policy decides where each recipient goes, the store moves rows and counters
 * in one fenced transaction (I9, I10), then the circuits learn from it and the live events go out.
 */
final class RecordBatch {
    private final CampaignStore campaigns;
    private final OutcomePolicy policy;
    private final DomainCircuits circuits;
    private final LiveEvents events;
    private final Clock clock;

    RecordBatch(CampaignStore campaigns, OutcomePolicy policy, DomainCircuits circuits, LiveEvents events, Clock clock) {
        this.campaigns = campaigns;
        this.policy = policy;
        this.circuits = circuits;
        this.events = events;
        this.clock = clock;
    }

    /** @param recipients the batch's recipients as picked, before marking counted this attempt */
    void record(Claim claim, List<Recipient> recipients, List<SendBatch.Result> results) {
        Instant now = clock.instant();
        Map<Long, Recipient> byId = new HashMap<>(recipients.size() * 2);
        for (Recipient r : recipients) byId.put(r.id(), r);
        List<RecipientOutcome> settled = new ArrayList<>(results.size());
        for (SendBatch.Result res : results) {
            Recipient r = byId.get(res.message().key());
            settled.add(policy.settle(r, r.attempts() + 1, res.outcome(), res.durationMs(), now));
        }
        campaigns.recordOutcomes(claim, settled, now);
        circuits.record(claim.senderId(), results, now);
        events.publish(claim.campaignId(), BatchEvents.of(settled));
    }
}
