package dev.mailroom.worker.loop;

import dev.mailroom.core.campaign.BatchContext;
import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.defer.Wait;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.MessageFactory;
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

/**
 * One batch of a claimed campaign: reserve its quota (I5) → build its messages → mark them sending,
 * committed (I7) → SMTP → record (I9). The reservation gives back by itself whatever did not reach SMTP.
 */
final class SendCampaignBatch {
    sealed interface Result {}

    /** The quota granted nothing: wait until the limit resets. */
    record Refused(Wait waitFor) implements Result {}

    /**
     * The sender signs but its DKIM key cannot be opened (its sealing key left the ring): nothing is sent,
     * since unsigned mail from a signing domain fails DMARC. The campaign waits as for a refused sender.
     */
    record Unsignable(DeliveryOutcome.RelayRefused refusal) implements Result {}

    /** Nothing could be marked (the user paused or cancelled meanwhile): the next pass sees why. */
    record NothingMarked() implements Result {}

    /**
     * The batch went out. {@code relayRefusal} when the relay refused us (credentials, sender, or no
     * connection at all), else null; {@code anyAccepted} when the relay took at least one message;
     * {@code limited} when the quota granted only part of the batch (then the campaign waits), else null.
     */
    record Delivered(DeliveryOutcome.RelayRefused relayRefusal, boolean anyAccepted, Wait limited) implements Result {}

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

    Result send(Claim claim, Sender sender, BatchContext batch, List<Recipient> due, SmtpLanes lanes, StopSignal stop) {
        MessageFactory factory;
        try {
            factory = new MessageFactory(sender, stamps);
        } catch (SecretSealer.SealedSecretUnreadable e) {
            return new Unsignable(unsignable(e));
        }
        // The reservation is taken now, not when the pass began: it is charged to the hour it is sent in.
        try (HeldReservation held = HeldReservation.reserve(quota, sender.quota(), QuotaUse.CAMPAIGN, due.size(),
                clock.instant())) {
            if (held.granted() == 0) return new Refused(new Wait(held.limitedBy(), held.retryAt()));
            List<Recipient> granted = due.subList(0, held.granted());
            List<OutgoingMessage> messages = build(factory, claim, batch, granted);
            held.keep(messages.size()); // a mark whose commit succeeded but whose reply was lost counts too
            Set<Long> marked = campaigns.markSending(claim, messages, clock.instant());
            held.giveBack(messages.size() - marked.size());
            if (marked.isEmpty()) return new NothingMarked();
            if (marked.size() < messages.size()) messages = messages.stream().filter(m -> marked.contains(m.key())).toList();

            List<SendBatch.Result> results = sendBatch.send(messages, lanes, batch.controls().delayMs(), stop);
            recordBatch.record(claim, granted, results);
            held.giveBack(SendBatch.givingBackQuota(results));
            return new Delivered(SendBatch.relayRefusal(results),
                    results.stream().anyMatch(r -> r.outcome() instanceof DeliveryOutcome.Sent),
                    held.isLimited() ? new Wait(held.limitedBy(), held.retryAt()) : null);
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
