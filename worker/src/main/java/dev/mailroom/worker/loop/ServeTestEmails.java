package dev.mailroom.worker.loop;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.defer.DeferService;
import dev.mailroom.core.defer.RelayBackoff;
import dev.mailroom.core.defer.SenderGate;
import dev.mailroom.core.defer.Wait;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.MessageFactory;
import dev.mailroom.core.delivery.MessageStamps;
import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.port.RelayHealth;
import dev.mailroom.core.port.TestEmailQueue;
import dev.mailroom.core.quota.HeldReservation;
import dev.mailroom.core.quota.QuotaGate;
import dev.mailroom.core.quota.QuotaUse;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.sender.Sender;
import dev.mailroom.core.testemail.TestEmail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sends a sender's waiting test emails through the same steps and quota as campaigns (I1, I5): reserve →
 * mark sending → SMTP → record. Called between batches, so a test email never waits for a running
 * campaign to finish; its reservation may use the sender's test reserve, which campaigns leave free, so
 * it does not wait for the hour a campaign spent either. One per served sender (it remembers when it
 * last looked).
 */
final class ServeTestEmails {
    private static final int PER_TURN = 10;
    /** Between every batch would cost a query per batch; once a second is soon enough for a person. */
    private static final Duration LOOK_EVERY = Duration.ofSeconds(1);
    /** A greylisted or throttled test email is tried again after this long. */
    private static final Duration RETRY_AFTER = Duration.ofMinutes(5);

    private final TestEmailQueue queue;
    private final QuotaGate quota;
    private final DeferService defer;
    private final RelayHealth relay;
    private final SendBatch sendBatch;
    private final MessageStamps stamps;
    private final Clock clock;
    private final String workerId;
    private final int maxAttempts;
    private Instant lastLook;

    ServeTestEmails(TestEmailQueue queue, QuotaGate quota, DeferService defer, RelayHealth relay, SendBatch sendBatch,
                    MessageStamps stamps, Clock clock, String workerId, int maxAttempts) {
        this.maxAttempts = maxAttempts;
        this.queue = queue;
        this.quota = quota;
        this.defer = defer;
        this.relay = relay;
        this.sendBatch = sendBatch;
        this.stamps = stamps;
        this.clock = clock;
        this.workerId = workerId;
    }

    void serve(Sender sender, SmtpLanes lanes) {
        Instant now = clock.instant();
        if (lastLook != null && now.isBefore(lastLook.plus(LOOK_EVERY)) && now.isAfter(lastLook)) return;
        lastLook = now;
        List<TestEmail> due = new ArrayList<>(queue.due(sender.id(), PER_TURN, now));
        for (TestEmail t : List.copyOf(due)) {
            if (!t.suppressed()) continue;
            queue.fail(t.id(), "address is on the suppression list", now); // I13: test emails included
            due.remove(t);
        }
        if (due.isEmpty()) return;
        Optional<Wait> disabled = SenderGate.checkEnabled(sender, now);
        if (disabled.isPresent()) {
            for (TestEmail t : due) defer.deferTestEmail(t.id(), disabled.get().reason(), disabled.get().until(), "the sender is disabled");
            return;
        }
        MessageFactory factory;
        try {
            factory = new MessageFactory(sender, stamps);
        } catch (SecretSealer.SealedSecretUnreadable e) {
            DeliveryOutcome.RelayRefused refused = SendCampaignBatch.unsignable(e);
            int inARow = relay.refused(sender.id(), refused, now);
            for (TestEmail t : due) defer.deferTestEmail(t.id(), refused.reason(), now.plus(RelayBackoff.after(inARow)), refused.reply());
            return;
        }
        try (HeldReservation held = HeldReservation.reserve(quota, sender.quota(), QuotaUse.TEST_EMAIL, due.size(), now)) {
            for (TestEmail refused : due.subList(held.granted(), due.size())) {
                defer.deferTestEmail(refused.id(), held.limitedBy(), held.retryAt(), "quota reached");
            }
            List<OutgoingMessage> messages = new ArrayList<>(held.granted());
            for (TestEmail t : due.subList(0, held.granted())) messages.add(factory.forTestEmail(t));
            held.keep(messages.size()); // a mark whose commit succeeded but whose reply was lost counts too
            Set<Long> marked = queue.markSending(sender.id(), messages, workerId, clock.instant());
            held.giveBack(messages.size() - marked.size());
            lanes.use(sender.smtp());
            List<SendBatch.Result> results = sendBatch.send(messages.stream().filter(m -> marked.contains(m.key())).toList(),
                    lanes, 0, new StopSignal());
            Map<Long, TestEmail> byId = new HashMap<>();
            for (TestEmail t : due) byId.put(t.id(), t);
            for (SendBatch.Result r : results) record(sender.id(), byId.get(r.message().key()), r);
            held.giveBack(SendBatch.givingBackQuota(results));
        }
    }

    private void record(long senderId, TestEmail t, SendBatch.Result r) {
        Instant done = clock.instant();
        queue.record(t.id(), r.outcome(), r.durationMs(), done);
        switch (r.outcome()) {
            case DeliveryOutcome.RetryLater retry when t.attempts() + 1 >= maxAttempts ->
                    queue.fail(t.id(), retry.reply(), done); // tried enough: no endless retries on quota
            case DeliveryOutcome.RetryLater retry ->
                    defer.deferTestEmail(t.id(), DeferReason.TRANSIENT_ERROR, done.plus(RETRY_AFTER), retry.reply());
            case DeliveryOutcome.RelayRefused refused -> {
                int inARow = relay.refused(senderId, refused, done);
                defer.deferTestEmail(t.id(), refused.reason(), done.plus(RelayBackoff.after(inARow)), refused.reply());
            }
            default -> { }
        }
    }
}
