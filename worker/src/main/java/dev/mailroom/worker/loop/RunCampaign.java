package dev.mailroom.worker.loop;

import dev.mailroom.core.campaign.BatchContext;
import dev.mailroom.core.campaign.CampaignContent;
import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.defer.TransientBackoff;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.MessageIds;
import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.delivery.RecipientOutcome;
import dev.mailroom.core.error.LostClaim;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.port.LiveEvents;
import dev.mailroom.core.quota.Reservation;
import dev.mailroom.core.recipient.Recipient;
import dev.mailroom.core.sender.Sender;
import dev.mailroom.core.template.Template;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One claimed campaign, sent batch after batch. Contract, per batch:
 * 1. re-read status and controls; stop when the user paused or cancelled, or the claim is lost;
 * 2. check the sender is enabled and inside its window, else defer;
 * 3. reserve quota for the batch before anything else (I5); what was not granted waits;
 * 4. mark the granted recipients sending, committed (I7), then SMTP, then record outcomes (I9);
 * 5. when nothing is due, finish honestly (I8) or defer until the next retry.
 */
final class RunCampaign {
    enum End { FINISHED, DEFERRED, STOPPED, LOST, SHUTDOWN }

    private static final Logger log = LoggerFactory.getLogger(RunCampaign.class);
    private static final long DRIFT_RECHECK_MS = 1_000;

    private final SendingContext ctx;
    private final Claim claim;
    private final SmtpLanes lanes;
    private final ServeTestEmails testEmails;
    private final BooleanSupplier shuttingDown;
    private static final Duration PROBE_WAIT = Duration.ofSeconds(10);

    private final SendBatch sendBatch;
    private final DomainCircuits circuits;
    private volatile boolean stopRequested;
    private int transientStreak;

    RunCampaign(SendingContext ctx, Claim claim, SmtpLanes lanes, ServeTestEmails testEmails, BooleanSupplier shuttingDown) {
        this.ctx = ctx;
        this.claim = claim;
        this.lanes = lanes;
        this.testEmails = testEmails;
        this.shuttingDown = shuttingDown;
        this.sendBatch = new SendBatch(ctx.metrics());
        this.circuits = new DomainCircuits(ctx.breakers());
    }

    /** A user paused or cancelled: stop before the next message. */
    void requestStop() {
        stopRequested = true;
    }

    long campaignId() {
        return claim.campaignId();
    }

    End run() {
        try {
            while (true) {
                Optional<End> end = batch();
                if (end.isPresent()) return end.get();
            }
        } catch (LostClaim e) {
            log.warn("campaign {} lost its claim (fence {}); stopping without further writes", claim.campaignId(), claim.fence());
            return End.LOST;
        }
    }

    private Optional<End> batch() {
        Instant now = ctx.clock().instant();
        if (shuttingDown.getAsBoolean()) {
            ctx.campaigns().release(claim, now);
            return Optional.of(End.SHUTDOWN);
        }
        BatchContext batch = ctx.campaigns().batchContext(claim).orElseThrow(() -> new LostClaim(claim.campaignId(), claim.fence()));
        if (batch.status() != CampaignStatus.PROCESSING || stopRequested) {
            ctx.campaigns().release(claim, now);
            publishStatus(batch.status());
            return Optional.of(End.STOPPED);
        }
        Sender sender = ctx.senders().find(claim.senderId()).orElseThrow();
        if (!sender.enabled()) return defer(DeferReason.SMTP_DISABLED, now.plus(Duration.ofMinutes(5)), now);
        if (sender.window() != null && !sender.window().isOpen(now)) {
            return defer(DeferReason.OUTSIDE_HOURS, sender.window().nextOpen(now), now);
        }
        lanes.use(sender.smtp());
        testEmails.serve(sender, lanes);

        Map<String, Instant> openCircuits = circuits.open(now);
        List<Recipient> fetched = ctx.campaigns().nextPending(claim, batch.controls().batchSize(), now, openCircuits.keySet());
        if (fetched.isEmpty()) return finishOrWait(now, openCircuits);
        List<Recipient> due = circuits.admit(fetched, now);
        if (due.isEmpty()) return defer(DeferReason.CIRCUIT_OPEN, now.plus(PROBE_WAIT), now); // others hold the probes
        Reservation reservation = ctx.quota().reserve(sender.quota(), due.size(), now);
        if (reservation.granted() == 0) return defer(reservation.limitedBy(), reservation.retryAt(), now);
        List<Recipient> granted = due.subList(0, reservation.granted());

        long started = System.nanoTime();
        String fromDomain = domainOf(sender.fromEmail());
        List<Recipient> marked;
        try {
            marked = ctx.campaigns().markSending(claim, granted, fromDomain, now);
        } catch (LostClaim e) {
            ctx.quota().release(sender.quota(), granted.size(), now); // nothing of it reached SMTP
            throw e;
        }
        ctx.quota().release(sender.quota(), granted.size() - marked.size(), now);
        if (marked.isEmpty()) return Optional.empty(); // the status changed under us: the next pass sees it

        List<SendBatch.Result> results = sendBatch.send(render(marked, sender, batch.content(), fromDomain),
                lanes, batch.controls().delayMs(), () -> stopRequested || shuttingDown.getAsBoolean());
        record(marked, results, sender, now);
        circuits.record(results, ctx.clock().instant());
        ctx.metrics().batch(Duration.ofNanos(System.nanoTime() - started));

        if (allConnectionsFailed(results)) {
            transientStreak++;
            Instant clockNow = ctx.clock().instant();
            return defer(DeferReason.TRANSIENT_ERROR, clockNow.plus(TransientBackoff.after(transientStreak)), clockNow);
        }
        transientStreak = 0;
        if (reservation.isLimited()) return defer(reservation.limitedBy(), reservation.retryAt(), ctx.clock().instant());
        int cooldown = batch.controls().cooldownSeconds();
        if (cooldown > 0) Sleep.interruptibly(cooldown * 1000L);
        return Optional.empty();
    }

    /** @param reservedAt when the batch's quota was reserved: unsent sends go back to that hour and month */
    private void record(List<Recipient> marked, List<SendBatch.Result> results, Sender sender, Instant reservedAt) {
        Instant now = ctx.clock().instant();
        Map<Long, Recipient> byId = new java.util.HashMap<>();
        for (Recipient r : marked) byId.put(r.id(), r);
        List<RecipientOutcome> settled = new ArrayList<>(results.size());
        int notSent = 0;
        for (SendBatch.Result res : results) {
            Recipient r = byId.get(res.message().key());
            settled.add(ctx.policy().settle(r, r.attempts(), res.outcome(), res.durationMs(), now));
            if (res.outcome() instanceof DeliveryOutcome.NotSent) notSent++;
        }
        ctx.campaigns().recordOutcomes(claim, settled, now);
        ctx.quota().release(sender.quota(), notSent, reservedAt);
        publishBatch(settled);
    }

    /** Nothing is due: finish honestly, or wait for the earliest retry or circuit probe. */
    private Optional<End> finishOrWait(Instant now, Map<String, Instant> openCircuits) {
        Optional<CampaignStatus> finished = ctx.campaigns().finishIfDone(claim, now);
        if (finished.isPresent()) {
            log.info("campaign {} finished: {}", claim.campaignId(), finished.get().wire());
            publishStatus(finished.get());
            return Optional.of(End.FINISHED);
        }
        Optional<Instant> retry = ctx.campaigns().nextRetryAt(claim, openCircuits.keySet());
        Optional<Instant> probe = openCircuits.values().stream().min(Instant::compareTo);
        if (probe.isPresent() && (retry.isEmpty() || probe.get().isBefore(retry.get()))) {
            return defer(DeferReason.CIRCUIT_OPEN, probe.get(), now);
        }
        if (retry.isPresent()) return defer(DeferReason.TRANSIENT_ERROR, retry.get(), now);
        // No row is open, yet the counters say otherwise: they drifted (I9). Re-check at a walk, not a
        // spin, until the reconciler's recount lets finishIfDone see the truth.
        Sleep.interruptibly(DRIFT_RECHECK_MS);
        return Optional.empty();
    }

    private Optional<End> defer(DeferReason reason, Instant until, Instant now) {
        ctx.defer().deferCampaign(claim, reason, until, now);
        ctx.metrics().deferred(reason);
        log.info("campaign {} deferred: {} until {}", claim.campaignId(), reason.wire(), until);
        return Optional.of(End.DEFERRED);
    }

    private List<OutgoingMessage> render(List<Recipient> recipients, Sender sender, CampaignContent c, String fromDomain) {
        List<OutgoingMessage> out = new ArrayList<>(recipients.size());
        for (Recipient r : recipients) {
            Template.Person p = new Template.Person(r.email(), r.name(), r.vars());
            out.add(new OutgoingMessage(r.id(), MessageIds.forRecipient(claim.campaignId(), r.id(), fromDomain),
                    sender.fromEmail(), sender.fromName(), r.email(), Template.renderHeader(c.subject(), p),
                    Template.render(c.html(), p, true), Template.render(c.text(), p, false)));
        }
        return out;
    }

    private static boolean allConnectionsFailed(List<SendBatch.Result> results) {
        return !results.isEmpty() && results.stream()
                .allMatch(r -> r.outcome() instanceof DeliveryOutcome.RetryLater t && t.connectionFailed());
    }

    private void publishBatch(List<RecipientOutcome> settled) {
        List<LiveEvents.Event> events = new ArrayList<>(settled.size() + 1);
        int sent = 0;
        int failed = 0;
        for (RecipientOutcome o : settled) {
            switch (o.next()) {
                case SENT -> {
                    sent++;
                    events.add(new LiveEvents.Event("sent", Map.of("recipient_id", o.recipientId())));
                }
                case FAILED -> {
                    failed++;
                    events.add(new LiveEvents.Event("failed",
                            Map.of("recipient_id", o.recipientId(), "smtp_code", o.outcome().code())));
                }
                default -> { }
            }
        }
        events.add(new LiveEvents.Event("batch", Map.of("size", settled.size(), "sent", sent, "failed", failed)));
        ctx.events().publish(claim.campaignId(), events);
    }

    private void publishStatus(CampaignStatus status) {
        ctx.events().publish(claim.campaignId(), "status", Map.of("status", status.wire()));
    }

    static String domainOf(String email) {
        return email.substring(email.indexOf('@') + 1);
    }
}
