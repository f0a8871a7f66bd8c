package dev.mailroom.worker.loop;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.defer.Wait;
import dev.mailroom.core.port.CampaignStore;
import dev.mailroom.core.port.Claim;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Nothing is due now: the campaign is finished honestly (I8), or waits for its earliest retry or probe. */
final class FinishOrWait {
    sealed interface Result {}

    record Finished(CampaignStatus status) implements Result {}

    record Waits(Wait waitFor) implements Result {}

    /** No row is open, yet the counters say otherwise: they drifted (I9) until the reconciler recounts. */
    record Drifted() implements Result {}

    private final CampaignStore campaigns;

    FinishOrWait(CampaignStore campaigns) {
        this.campaigns = campaigns;
    }

    Result decide(Claim claim, Map<String, Instant> openCircuits, Instant now) {
        Optional<CampaignStatus> finished = campaigns.finishIfDone(claim, now);
        if (finished.isPresent()) return new Finished(finished.get());
        Optional<Instant> retry = campaigns.nextRetryAt(claim, openCircuits.keySet());
        Optional<Instant> probe = openCircuits.values().stream().min(Instant::compareTo);
        if (probe.isPresent() && (retry.isEmpty() || probe.get().isBefore(retry.get()))) {
            return new Waits(new Wait(DeferReason.CIRCUIT_OPEN, probe.get()));
        }
        if (retry.isPresent()) return new Waits(new Wait(DeferReason.TRANSIENT_ERROR, retry.get()));
        return new Drifted();
    }
}
