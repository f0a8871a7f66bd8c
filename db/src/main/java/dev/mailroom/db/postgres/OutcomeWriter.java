package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static dev.mailroom.db.postgres.Times.odt;
import static org.jooq.impl.DSL.row;

import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.RecipientOutcome;
import dev.mailroom.core.delivery.ReplyText;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.recipient.RecipientStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Row8;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Writes a batch's outcomes in one statement per table: recipients leave {@code sending} (only rows of
 * this claim's fence), their attempt rows get the SMTP result, and the counters move with them (I9).
 */
final class OutcomeWriter {
    private final DSLContext tx;
    private final Claim claim;
    private final OffsetDateTime now;

    OutcomeWriter(DSLContext tx, Claim claim, Instant now) {
        this.tx = tx;
        this.claim = claim;
        this.now = odt(now);
    }

    void write(List<RecipientOutcome> outcomes) {
        List<Row8<Long, String, String, OffsetDateTime, String, Integer, Integer, String>> rows = new ArrayList<>();
        Set<Long> hardBounced = new HashSet<>();
        for (RecipientOutcome o : outcomes) {
            String reply = ReplyText.clean(o.outcome().reply());
            rows.add(row(o.recipientId(), o.next().wire(), o.next() == RecipientStatus.SENT ? null : reply,
                    odt(o.retryAt()), attemptOutcome(o.outcome()), o.outcome().code(), (int) o.durationMs(), reply));
            if (o.outcome() instanceof DeliveryOutcome.MailboxRefused) hardBounced.add(o.recipientId());
        }
        var v = DSL.values(rows.toArray(Row8[]::new))
                .as("v", "rid", "status", "err", "retry", "outcome", "code", "dur", "reply");
        var rid = v.field("rid", Long.class);
        var status = v.field("status", String.class);
        var moved = tx.update(CAMPAIGN_RECIPIENT)
                .set(CAMPAIGN_RECIPIENT.STATUS, status)
                .set(CAMPAIGN_RECIPIENT.LAST_ERROR, v.field("err", String.class))
                .set(CAMPAIGN_RECIPIENT.RETRY_AT, v.field("retry").cast(SQLDataType.TIMESTAMPWITHTIMEZONE))
                .set(CAMPAIGN_RECIPIENT.SENT_AT, DSL.when(status.eq("sent"), DSL.val(now)).else_(CAMPAIGN_RECIPIENT.SENT_AT))
                // An attempt the recipient had no part in (never sent, the relay refused us) is given back.
                .set(CAMPAIGN_RECIPIENT.ATTEMPTS, DSL.when(v.field("outcome", String.class).in(NOT_THE_RECIPIENT_S),
                        CAMPAIGN_RECIPIENT.ATTEMPTS.minus(1)).else_(CAMPAIGN_RECIPIENT.ATTEMPTS))
                .from(v)
                .where(CAMPAIGN_RECIPIENT.ID.eq(rid), CAMPAIGN_RECIPIENT.STATUS.eq("sending"),
                        CAMPAIGN_RECIPIENT.FENCE.eq(claim.fence()))
                .returning(CAMPAIGN_RECIPIENT.ID, CAMPAIGN_RECIPIENT.STATUS, CAMPAIGN_RECIPIENT.EMAIL,
                        CAMPAIGN_RECIPIENT.MESSAGE_ID, CAMPAIGN_RECIPIENT.LAST_ERROR)
                .fetch();
        tx.update(DELIVERY_ATTEMPT)
                .set(DELIVERY_ATTEMPT.OUTCOME, v.field("outcome", String.class))
                .set(DELIVERY_ATTEMPT.SMTP_CODE, v.field("code", Integer.class))
                .set(DELIVERY_ATTEMPT.REPLY, v.field("reply", String.class))
                .set(DELIVERY_ATTEMPT.DURATION_MS, v.field("dur", Integer.class))
                .from(v)
                .where(DELIVERY_ATTEMPT.RECIPIENT_ID.eq(rid), DELIVERY_ATTEMPT.OUTCOME.eq("sending"))
                .execute();
        CounterDelta delta = new CounterDelta();
        List<WebhookOutbox.Event> events = new ArrayList<>();
        Map<Long, Integer> codes = new HashMap<>();
        for (RecipientOutcome o : outcomes) codes.put(o.recipientId(), o.outcome().code());
        for (var r : moved) {
            RecipientStatus next = RecipientStatus.fromWire(r.getStatus());
            delta.move(RecipientStatus.SENDING, next, 1);
            String type = switch (next) {
                case SENT -> "delivered";
                case FAILED -> "failed";
                default -> null;
            };
            if (type == null) continue;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("campaign_id", claim.campaignId());
            data.put("recipient_id", r.getId());
            data.put("email", r.getEmail());
            data.put("message_id", r.getMessageId());
            data.put("smtp_code", codes.get(r.getId()));
            if (r.getLastError() != null) data.put("reply", r.getLastError());
            events.add(new WebhookOutbox.Event(type, data));
            if (hardBounced.contains(r.getId())) events.add(new WebhookOutbox.Event("bounced", data));
        }
        delta.apply(tx, claim.campaignId());
        suppressHardBounces(moved.stream().filter(r -> hardBounced.contains(r.getId())).map(r -> r.getEmail()).toList());
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

    /** Attempt outcomes that say nothing about the recipient: its attempt count is given back. */
    private static final List<String> NOT_THE_RECIPIENT_S = List.of("not_sent", "unreachable", "auth_refused", "sender_refused");
}
