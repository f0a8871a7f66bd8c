package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.SUPPRESSION;

import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.RecipientOutcome;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.recipient.RecipientStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes a batch's outcomes in the caller's transaction: recipients leave {@code sending} and their
 * attempt rows get the SMTP result ({@link SettleBatchSql}, one statement), the counters move with them
 * (I9), refused mailboxes are suppressed (I13) and the webhook events are queued.
 */
final class OutcomeWriter {
    private final DSLContext tx;
    private final Claim claim;
    private final Instant now;

    OutcomeWriter(DSLContext tx, Claim claim, Instant now) {
        this.tx = tx;
        this.claim = claim;
        this.now = now;
    }

    void write(List<RecipientOutcome> outcomes) {
        Set<Long> hardBounced = new HashSet<>();
        for (RecipientOutcome o : outcomes) {
            if (o.outcome() instanceof DeliveryOutcome.MailboxRefused) hardBounced.add(o.recipientId());
        }
        List<SettleBatchSql.Moved> moved = tx.connectionResult(c -> SettleBatchSql.run(c, claim.fence(), outcomes, now));
        CounterDelta delta = new CounterDelta();
        List<WebhookOutbox.Event> events = new ArrayList<>();
        Map<Long, Integer> codes = new HashMap<>();
        for (RecipientOutcome o : outcomes) codes.put(o.recipientId(), o.outcome().code());
        for (var r : moved) {
            RecipientStatus next = r.status();
            delta.move(RecipientStatus.SENDING, next, 1);
            String type = switch (next) {
                case SENT -> "delivered";
                case FAILED -> "failed";
                default -> null;
            };
            if (type == null) continue;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("campaign_id", claim.campaignId());
            data.put("recipient_id", r.id());
            data.put("email", r.email());
            data.put("message_id", r.messageId());
            data.put("smtp_code", codes.get(r.id()));
            if (r.lastError() != null) data.put("reply", r.lastError());
            events.add(new WebhookOutbox.Event(type, data));
            if (hardBounced.contains(r.id())) events.add(new WebhookOutbox.Event("bounced", data));
        }
        delta.apply(tx, claim.campaignId());
        suppressHardBounces(moved.stream().filter(r -> hardBounced.contains(r.id())).map(SettleBatchSql.Moved::email).toList());
        WebhookOutbox.enqueue(tx, events);
    }

    /** I13: a mailbox that refused permanently is never mailed again. */
    private void suppressHardBounces(List<String> emails) {
        if (emails.isEmpty()) return;
        var insert = tx.insertInto(SUPPRESSION, SUPPRESSION.EMAIL, SUPPRESSION.REASON);
        for (String e : emails) insert = insert.values(e, "hard_bounce");
        insert.onConflictDoNothing().execute();
    }

    /** delivery_attempt.outcome: what the attempt came to, so the timeline and every recount can tell (I15, I17). */
    static String attemptOutcome(DeliveryOutcome o) {
        return switch (o) {
            case DeliveryOutcome.Sent s -> "sent";
            case DeliveryOutcome.RetryLater r -> "transient";
            case DeliveryOutcome.MailboxRefused m -> "failed";
            case DeliveryOutcome.MessageRefused m -> "refused";
            case DeliveryOutcome.Unknown u -> "uncertain";
            case DeliveryOutcome.NotSent n -> "not_sent";
            case DeliveryOutcome.RelayRefused r -> switch (r.reason()) {
                case SMTP_AUTH -> "auth_refused";
                case SENDER_REFUSED -> "sender_refused";
                default -> "unreachable";
            };
        };
    }


}
