package dev.mailroom.worker.loop;

import dev.mailroom.core.error.SafeErrors;
import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.port.ReconcileStore;
import dev.mailroom.core.port.SenderLock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs what a dead worker or a bug leaves behind, and reports each repair in the log (campaigns and
 * senders by id) and in {@code mailroom_reconcile_fixes{kind}}. Contract, per pass:
 * 1. counters that disagree with their recipient rows are set to the recount (I9), kind=counters;
 * 2. recipients left sending in a campaign no longer processing, whose sender nobody serves, become
 *    uncertain (I7), kind=uncertain — while the claim is still held, only those older than any live batch;
 * 3. a processing row whose sender nobody serves and that has nothing pending or sending is finished
 *    honestly (I8), kind=finished;
 * 4. one with work left wakes its sender, so a worker takes it over now rather than at its next scan,
 *    kind=dead_claim.
 * "Nobody serves" means the sender's lock is free. Each repair re-checks its condition under a row lock,
 * so the reconcilers of several workers may overlap harmlessly.
 */
public final class Reconcile {
    /** Campaigns repaired, by kind. */
    public record Report(int counters, int uncertain, int finished, int woken) {}

    private static final Logger log = LoggerFactory.getLogger(Reconcile.class);
    /**
     * A batch marked sending this recently may still be on the wire with its worker's claim intact though
     * its lock key is gone (a Redis flush or failover): its rows are not taken from it.
     */
    private static final Duration LIVE_BATCH_BOUND = Duration.ofMinutes(10);
    /** Finished campaigns are rechecked this long, so a late drift is still seen, without rescanning history. */
    private static final Duration FINISHED_LOOKBACK = Duration.ofDays(1);

    private final ReconcileStore store;
    private final SenderLock locks;
    private final LongConsumer wake;
    private final MeterRegistry registry;
    private final Clock clock;

    public Reconcile(ReconcileStore store, SenderLock locks, LongConsumer wake, MeterRegistry registry, Clock clock) {
        this.store = store;
        this.locks = locks;
        this.wake = wake;
        this.registry = registry;
        this.clock = clock;
    }

    /** For a scheduler: a failed pass is logged, and the next interval tries again. */
    public void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("reconcile pass failed; the next one retries: {}", SafeErrors.describe(e));
        }
    }

    public Report runOnce() {
        Instant now = clock.instant();
        int counters = 0;
        for (ReconcileStore.Drift d : store.drifted(now.minus(FINISHED_LOOKBACK))) {
            Optional<ReconcileStore.Drift> fixed = store.recount(d.campaignId());
            if (fixed.isEmpty()) continue;
            log.warn("reconcile: campaign {} counters disagreed with its recipients (stored {}, recounted {}); set to the recount",
                    d.campaignId(), fixed.get().stored(), fixed.get().actual());
            counters++;
        }
        int uncertain = 0;
        for (ReconcileStore.Orphaned o : store.orphanedSending()) {
            if (locks.isHeld(o.senderId())) continue; // its worker may still be recording those messages
            int n = store.markOrphanedUncertain(o.campaignId(), now, now.minus(LIVE_BATCH_BOUND));
            if (n == 0) continue;
            log.warn("reconcile: campaign {} is not processing but {} recipients were left sending; now uncertain", o.campaignId(), n);
            uncertain++;
        }
        int finished = 0;
        Set<Long> woken = new HashSet<>();
        for (ReconcileStore.Processing p : store.processing()) {
            if (locks.isHeld(p.senderId())) continue; // served: its worker finishes it
            if (p.open() == 0) {
                Optional<CampaignStatus> status = store.finishAbandoned(p.campaignId(), now);
                if (status.isEmpty()) continue;
                log.warn("reconcile: campaign {} was left processing with nothing to send; finished {}", p.campaignId(), status.get().wire());
                finished++;
            } else if (woken.add(p.senderId())) {
                log.warn("reconcile: campaign {} is processing but no worker holds sender {}'s lock; waking the sender",
                        p.campaignId(), p.senderId());
                wake.accept(p.senderId());
            }
        }
        count("counters", counters);
        count("uncertain", uncertain);
        count("finished", finished);
        count("dead_claim", woken.size());
        return new Report(counters, uncertain, finished, woken.size());
    }

    private void count(String kind, int n) {
        Counter c = Counter.builder("mailroom_reconcile_fixes").tag("kind", kind)
                .description("anomalies the reconciler repaired").register(registry);
        if (n > 0) c.increment(n);
    }
}
