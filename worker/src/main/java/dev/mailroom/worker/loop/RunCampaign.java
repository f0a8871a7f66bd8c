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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed campaign, sent batch after batch. Contract, per batch ({@link #runOnce}):
 * 1. re-read status and controls; stop when the user paused or cancelled, or the claim is lost;
 * 2. check the sender is enabled and inside its window, else defer;
 * 3. pick the recipients due now; reserve → mark sending, committed (I7) — while the previous batch is still
 *    on the wire;
 * 4. once that batch's lanes are done: serve the sender's waiting connection tests and test emails, put this
 *    batch on the wire, and record the previous one (I9) while this one is sent; unused quota goes back by
 *    itself (I5);
 * 5. when nothing is due, finish honestly (I8) or defer until the next retry.
 * Whatever ends the run — a stop, a deferral, an error — first settles the batch on the wire, so at most two
 * batches are ever marked sending and a claim is never released with one in flight.
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
    /** The batch on the wire (marked, not yet recorded), or null. */
    private SendCampaignBatch.Marked onTheWire;
    /** The next batch while it is marked and not yet on the wire, or null. */
    private SendCampaignBatch.Marked ahead;
    /** The campaign's state as read just before the batch on the wire started, for the next pass; or null. */
    private BatchContext readAhead;

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
            abandonInHand();
            log.warn("campaign {} lost its claim (fence {}); stopping without further writes", claim.campaignId(), claim.fence());
            return End.LOST;
        } catch (RuntimeException e) {
            abandonInHand();
            throw e;
        }
    }

    /** One batch; empty while the campaign goes on. */
    Optional<End> runOnce() {
        if (shuttingDown.getAsBoolean()) return settleThen(() -> Optional.of(release(End.SHUTDOWN)));
        BatchContext batch = readAhead != null ? readAhead : batchContext();
        readAhead = null;
        if (batch.status() != CampaignStatus.PROCESSING || stop.requested()) {
            return settleThen(() -> {
                release(End.STOPPED);
                publishStatus(batch.status());
                return Optional.of(End.STOPPED);
            });
        }
        Sender sender = sender(batch.senderVersion());
        Optional<Wait> closed = SenderGate.check(sender, now());
        if (closed.isPresent()) return settleThen(() -> defer(closed.get()));
        if (!lanes.uses(sender.smtp())) {
            Optional<End> end = settle(); // the lanes re-open with the new settings: none may be on the wire
            if (end.isPresent()) return end;
            lanes.use(sender.smtp());
        }
        return switch (steps.pickDue().next(claim, batch.controls().batchSize(), now())) {
            case PickDue.Due due -> prepared(sender, batch, steps.sendBatch().prepare(claim, sender, batch, due.recipients()));
            case PickDue.HeldByCircuits held -> settleThen(() -> defer(new Wait(DeferReason.CIRCUIT_OPEN, held.until())));
            // The batch on the wire may leave recipients due again (a stopped lane): settle, then look again.
            case PickDue.NoneDue none -> onTheWire != null ? settle() : finishOrWait(none.openCircuits());
        };
    }

    private Optional<End> prepared(Sender sender, BatchContext batch, SendCampaignBatch.Prepared next) {
        return switch (next) {
            case SendCampaignBatch.Refused r -> settleThen(() -> defer(r.waitFor()));
            case SendCampaignBatch.Unsignable u -> settleThen(() -> deferForRelay(u.refusal()));
            case SendCampaignBatch.NothingMarked n -> settle();
            case SendCampaignBatch.Marked marked -> overlap(sender, batch, marked);
        };
    }

    /**
     * The next batch is marked: wait for the lanes to finish the one on the wire, put the next one on them, and
     * record the previous one meanwhile. A previous batch the relay refused, or a stop, keeps the next one off
     * the wire (recorded unsent: back to pending, quota given back).
     */
    private Optional<End> overlap(Sender sender, BatchContext batch, SendCampaignBatch.Marked next) {
        ahead = next;
        if (onTheWire != null && !goesOn(onTheWire)) {
            ahead = null;
            next.record();
            return settle();
        }
        betweenBatches.serve(sender, lanes); // the lanes are free between two batches
        SendCampaignBatch.Marked previous = onTheWire;
        next.start(lanes, stop);
        ahead = null;
        onTheWire = next;
        // Nothing here can end the run: a refusal kept `next` off the wire above, and a limit the previous batch
        // met has reset since, as `next` got quota.
        if (previous != null) confirmRelay(recorded(previous));
        int cooldown = batch.controls().cooldownSeconds();
        if (cooldown > 0) { // a pause between batches: the one on the wire ends first, then the pause
            Optional<End> end = settle();
            if (end.isPresent()) return end;
            stop.await(Duration.ofSeconds(cooldown));
        }
        return Optional.empty();
    }

    /**
     * Whether the next batch, prepared while {@code previous} was on the wire, may follow it: the relay took
     * {@code previous}, and nothing changed meanwhile that the next pass would stop or defer for (a pause, a
     * cancel, the sender disabled or out of its window or given new SMTP settings). The campaign's state read
     * here serves the next pass too, so a batch still costs one read of it.
     */
    private boolean goesOn(SendCampaignBatch.Marked previous) {
        if (SendBatch.relayRefusal(previous.awaitSent()) != null) return false;
        readAhead = batchContext();
        if (readAhead.status() != CampaignStatus.PROCESSING || stop.requested()) return false;
        Sender current = sender(readAhead.senderVersion());
        return SenderGate.check(current, now()).isEmpty() && lanes.uses(current.smtp());
    }

    private BatchContext batchContext() {
        return steps.campaigns().batchContext(claim).orElseThrow(() -> new LostClaim(claim.campaignId(), claim.fence()));
    }

    /** Settles the batch on the wire, if any, and acts on what it says (a relay refusal, a limit). */
    private Optional<End> settle() {
        SendCampaignBatch.Marked batch = onTheWire;
        if (batch == null) return Optional.empty();
        onTheWire = null;
        return act(recorded(batch));
    }

    private Optional<End> settleThen(Supplier<Optional<End>> then) {
        Optional<End> end = settle();
        return end.isPresent() ? end : then.get();
    }

    private SendCampaignBatch.Delivered recorded(SendCampaignBatch.Marked batch) {
        SendCampaignBatch.Delivered d = batch.record();
        steps.metrics().batch(Duration.ofNanos(System.nanoTime() - batch.startedNanos()));
        return d;
    }

    private Optional<End> act(SendCampaignBatch.Delivered d) {
        if (d.relayRefusal() != null) return deferForRelay(d.relayRefusal());
        confirmRelay(d);
        return d.limited() != null ? defer(d.limited()) : Optional.empty();
    }

    private void confirmRelay(SendCampaignBatch.Delivered d) {
        if (d.anyAccepted() && !relayConfirmed) {
            steps.relay().accepted(claim.senderId(), now());
            relayConfirmed = true;
        }
    }

    /**
     * The run ends on an error: the lanes stop after their current message, and the batches in hand are recorded
     * if the stores still take them (the one not yet on the wire as unsent).
     */
    private void abandonInHand() {
        stop.request();
        SendCampaignBatch.Marked notStarted = ahead, started = onTheWire;
        ahead = null;
        onTheWire = null;
        if (started != null) started.abandon();
        if (notStarted != null) notStarted.abandon();
    }

    private Sender sender(long version) {
        if (sender == null || version != senderVersion) {
            sender = steps.senders().find(claim.senderId()).orElseThrow();
            senderVersion = version; // a write between the two reads only costs one more read next batch
        }
        return sender;
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
