package dev.mailroom.worker.loop;

import dev.mailroom.core.campaign.BatchContext;
import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.defer.Wait;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.MessageFactory;
import dev.mailroom.core.error.SafeErrors;
import dev.mailroom.core.delivery.MessageStamps;
import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.port.CampaignStore;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.quota.HeldReservation;
import dev.mailroom.core.quota.QuotaGate;
import dev.mailroom.core.quota.QuotaUse;
import dev.mailroom.core.recipient.Recipient;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.sender.Sender;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of a claimed campaign, in two halves so that consecutive batches overlap: {@link #prepare}
 * reserves its quota (I5), builds its messages and marks them sending, committed (I7); the {@link Marked}
 * batch then goes on the wire and is {@link Marked#record recorded} (I9) while the loop prepares the next.
 * The reservation gives back by itself whatever did not reach SMTP.
 */
final class SendCampaignBatch {
    private static final Logger log = LoggerFactory.getLogger(SendCampaignBatch.class);

    sealed interface Prepared {}

    /** The quota granted nothing: wait until the limit resets. */
    record Refused(Wait waitFor) implements Prepared {}

    /**
     * The sender signs but its DKIM key cannot be opened (its sealing key left the ring): nothing is sent,
     * since unsigned mail from a signing domain fails DMARC. The campaign waits as for a refused sender.
     */
    record Unsignable(DeliveryOutcome.RelayRefused refusal) implements Prepared {}

    /** Nothing could be marked (the user paused or cancelled meanwhile): the next pass sees why. */
    record NothingMarked() implements Prepared {}

    /**
     * A recorded batch. {@code relayRefusal} when the relay refused us (credentials, sender, or no
     * connection at all), else null; {@code anyAccepted} when the relay took at least one message;
     * {@code limited} when the quota granted only part of the batch (then the campaign waits), else null.
     */
    record Delivered(DeliveryOutcome.RelayRefused relayRefusal, boolean anyAccepted, Wait limited) {}

    private final CampaignStore campaigns;
    private final QuotaGate quota;
    private final SendBatch sendBatch;
    private final RecordBatch recordBatch;
    private final MessageStamps stamps;
    private final Clock clock;

    SendCampaignBatch(CampaignStore campaigns, QuotaGate quota, SendBatch sendBatch, RecordBatch recordBatch,
                      MessageStamps stamps, Clock clock) {
        this.campaigns = campaigns;
        this.quota = quota;
        this.sendBatch = sendBatch;
        this.recordBatch = recordBatch;
        this.stamps = stamps;
        this.clock = clock;
    }

    Prepared prepare(Claim claim, Sender sender, BatchContext batch, List<Recipient> due) {
        MessageFactory factory;
        try {
            factory = new MessageFactory(sender, stamps);
        } catch (SecretSealer.SealedSecretUnreadable e) {
            return new Unsignable(unsignable(e));
        }
        // The reservation is taken now, not when the pass began: it is charged to the hour it is sent in.
        HeldReservation held = HeldReservation.reserve(quota, sender.quota(), QuotaUse.CAMPAIGN, due.size(), clock.instant());
        try {
            if (held.granted() == 0) {
                held.close();
                return new Refused(new Wait(held.limitedBy(), held.retryAt()));
            }
            List<Recipient> granted = due.subList(0, held.granted());
            List<OutgoingMessage> messages = build(factory, claim, batch, granted);
            held.keep(messages.size()); // a mark whose commit succeeded but whose reply was lost counts too
            Set<Long> marked = campaigns.markSending(claim, messages, clock.instant());
            held.giveBack(messages.size() - marked.size());
            if (marked.isEmpty()) {
                held.close();
                return new NothingMarked();
            }
            if (marked.size() < messages.size()) messages = messages.stream().filter(m -> marked.contains(m.key())).toList();
            return new Marked(claim, granted, messages, held, batch.controls().delayMs());
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /**
     * A batch marked sending and holding its reservation until {@link #record} (or {@link #abandon}) closes it.
     * Not thread-safe: the loop that prepared it starts, awaits and records it.
     */
    final class Marked implements Prepared {
        private final Claim claim;
        private final List<Recipient> granted;
        private final List<OutgoingMessage> messages;
        private final HeldReservation held;
        private final int delayMs;
        private SendBatch.Running running;
        private long startedNanos;
        private List<SendBatch.Result> results;

        private Marked(Claim claim, List<Recipient> granted, List<OutgoingMessage> messages, HeldReservation held, int delayMs) {
            this.claim = claim;
            this.granted = granted;
            this.messages = messages;
            this.held = held;
            this.delayMs = delayMs;
        }

        void start(SmtpLanes lanes, StopSignal stop) {
            startedNanos = System.nanoTime();
            running = sendBatch.start(messages, lanes, delayMs, stop);
        }

        /** When it went on the wire ({@link System#nanoTime}); 0 if it never did. */
        long startedNanos() {
            return startedNanos;
        }

        /** The SMTP results, once every lane is done; a batch never started comes back unsent. */
        List<SendBatch.Result> awaitSent() {
            if (results == null) results = running == null ? SendBatch.notSent(messages) : running.await();
            return results;
        }

        /** Settles the batch (I9) and gives back the quota of what never reached the relay (I17). */
        Delivered record() {
            try {
                List<SendBatch.Result> sent = awaitSent();
                recordBatch.record(claim, granted, sent);
                held.giveBack(SendBatch.givingBackQuota(sent));
                return new Delivered(SendBatch.relayRefusal(sent),
                        sent.stream().anyMatch(r -> r.outcome() instanceof DeliveryOutcome.Sent),
                        held.isLimited() ? new Wait(held.limitedBy(), held.retryAt()) : null);
            } finally {
                held.close();
            }
        }

        /**
         * The loop is ending on an error: the lanes (told to stop by the caller) finish, and the batch is recorded
         * if the stores still take it; if not, its rows stay sending and become uncertain (I7), quota kept.
         */
        void abandon() {
            try {
                record();
            } catch (RuntimeException e) {
                log.warn("campaign {}: a batch of {} could not be recorded ({}); its rows become uncertain", claim.campaignId(),
                        messages.size(), SafeErrors.describe(e));
            }
        }
    }

    /** What the sender's {@code last_error} says; the reason names no secret. */
    static DeliveryOutcome.RelayRefused unsignable(SecretSealer.SealedSecretUnreadable e) {
        return new DeliveryOutcome.RelayRefused(DeferReason.SENDER_REFUSED, 0,
                "DKIM key unusable, nothing is sent unsigned: " + e.getMessage());
    }

    private static List<OutgoingMessage> build(MessageFactory factory, Claim claim, BatchContext batch, List<Recipient> recipients) {
        List<OutgoingMessage> out = new ArrayList<>(recipients.size());
        for (Recipient r : recipients) out.add(factory.forRecipient(claim.campaignId(), r, batch.content()));
        return out;
    }
}
