package dev.mailroom.worker.loop;

import dev.mailroom.core.campaign.BatchContext;
import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.defer.SenderGate;
import dev.mailroom.core.defer.RelayBackoff;
import dev.mailroom.core.defer.Wait;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.error.LostClaim;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.sender.Sender;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed campaign, sent batch after batch. Contract, per batch ({@link #runOnce}):
 * 1. re-read status and controls; stop when the user paused or cancelled, or the claim is lost;
 * 2. check the sender is enabled and inside its window, else defer;
 * 3. serve the sender's waiting connection tests and test emails, then pick the recipients due now;
 * 4. reserve → mark sending, committed (I7) → SMTP → record (I9); unused quota goes back by itself (I5);
 * 5. when nothing is due, finish honestly (I8) or defer until the next retry.
 */
final class RunCampaign {
    enum End { FINISHED, DEFERRED, STOPPED, LOST, SHUTDOWN }

    private static final Logger log = LoggerFactory.getLogger(RunCampaign.class);
    /** How long a campaign whose counters drifted waits before it looks again (the reconciler recounts). */
    private static final Duration DRIFT_RECHECK = Duration.ofSeconds(1);

    private final CampaignSteps steps;
    private final Claim claim;
    private final SmtpLanes lanes;
    private final BetweenBatches betweenBatches;
    private final BooleanSupplier shuttingDown;
    private final StopSignal stop = new StopSignal();
    /** Whether this claim already told the relay health that the relay takes our mail. */
    private boolean relayConfirmed;
    /** The sender as last read, and its row version then: read again only when a write changed it. */
    private Sender sender;
    private long senderVersion;

    RunCampaign(CampaignSteps steps, Claim claim, SmtpLanes lanes, BetweenBatches betweenBatches, BooleanSupplier shuttingDown) {
        this.steps = steps;
        this.claim = claim;
        this.lanes = lanes;
        this.betweenBatches = betweenBatches;
        this.shuttingDown = shuttingDown;
    }

    /** A user paused or cancelled, or the worker is stopping: stop before the next message. */
    void requestStop() {
        stop.request();
    }

    End run() {
        try {
            while (true) {
                Optional<End> end = runOnce();
                if (end.isPresent()) return end.get();
            }
        } catch (LostClaim e) {
            log.warn("campaign {} lost its claim (fence {}); stopping without further writes", claim.campaignId(), claim.fence());
            return End.LOST;
        }
    }

    /** One batch; empty while the campaign goes on. */
    Optional<End> runOnce() {
        if (shuttingDown.getAsBoolean()) return Optional.of(release(End.SHUTDOWN));
        BatchContext batch = steps.campaigns().batchContext(claim).orElseThrow(() -> new LostClaim(claim.campaignId(), claim.fence()));
        if (batch.status() != CampaignStatus.PROCESSING || stop.requested()) {
            release(End.STOPPED);
            publishStatus(batch.status());
            return Optional.of(End.STOPPED);
        }
        Sender sender = sender(batch.senderVersion());
        Optional<Wait> closed = SenderGate.check(sender, now());
        if (closed.isPresent()) return defer(closed.get());
        lanes.use(sender.smtp());
        betweenBatches.serve(sender, lanes);
        return switch (steps.pickDue().next(claim, batch.controls().batchSize(), now())) {
            case PickDue.Due due -> sendBatch(sender, batch, due);
            case PickDue.HeldByCircuits held -> defer(new Wait(DeferReason.CIRCUIT_OPEN, held.until()));
            case PickDue.NoneDue none -> finishOrWait(none.openCircuits());
        };
    }

    private Sender sender(long version) {
        if (sender == null || version != senderVersion) {
            sender = steps.senders().find(claim.senderId()).orElseThrow();
            senderVersion = version; // a write between the two reads only costs one more read next batch
        }
        return sender;
    }

    private Optional<End> sendBatch(Sender sender, BatchContext batch, PickDue.Due due) {
        long started = System.nanoTime();
        var result = steps.sendBatch().send(claim, sender, batch, due.recipients(), lanes, stop);
        steps.metrics().batch(Duration.ofNanos(System.nanoTime() - started));
        return switch (result) {
            case SendCampaignBatch.Refused r -> defer(r.waitFor());
            case SendCampaignBatch.NothingMarked n -> Optional.empty();
            case SendCampaignBatch.Unsignable u -> deferForRelay(u.refusal());
            case SendCampaignBatch.Delivered d when d.relayRefusal() != null -> deferForRelay(d.relayRefusal());
            case SendCampaignBatch.Delivered d -> {
                if (d.anyAccepted() && !relayConfirmed) {
                    steps.relay().accepted(claim.senderId(), now());
                    relayConfirmed = true;
                }
                if (d.limited() != null) yield defer(d.limited());
                stop.await(Duration.ofSeconds(batch.controls().cooldownSeconds()));
                yield Optional.empty();
            }
        };
    }

    private Optional<End> finishOrWait(Map<String, Instant> openCircuits) {
        return switch (steps.finishOrWait().decide(claim, openCircuits, now())) {
            case FinishOrWait.Finished f -> {
                log.info("campaign {} finished: {}", claim.campaignId(), f.status().wire());
                publishStatus(f.status());
                yield Optional.of(End.FINISHED);
            }
            case FinishOrWait.Waits w -> defer(w.waitFor());
            case FinishOrWait.Drifted d -> {
                stop.await(DRIFT_RECHECK); // at a walk, not a spin
                yield Optional.empty();
            }
        };
    }

    /** The relay refused us: the wait grows with the refusals in a row, across claims and restarts. */
    private Optional<End> deferForRelay(DeliveryOutcome.RelayRefused refusal) {
        int inARow = steps.relay().refused(claim.senderId(), refusal, now());
        log.warn("sender {}: the relay refused ({}, {}, {} in a row)", claim.senderId(), refusal.reason().wire(),
                refusal.fault().wire(), inARow);
        return defer(new Wait(refusal.reason(), now().plus(RelayBackoff.after(inARow))));
    }

    private Optional<End> defer(Wait wait) {
        return Optional.of(steps.defer().until(claim, wait));
    }

    private End release(End end) {
        steps.campaigns().release(claim, now());
        return end;
    }

    private void publishStatus(CampaignStatus status) {
        steps.events().publish(claim.campaignId(), "status", Map.of("status", status.wire()));
    }

    private Instant now() {
        return steps.clock().instant();
    }
}
