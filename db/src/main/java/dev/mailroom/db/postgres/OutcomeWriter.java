package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
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
import org.jooq.Row7;
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
        List<Row7<Long, String, String, OffsetDateTime, String, Integer, Integer>> rows = new ArrayList<>();
        for (RecipientOutcome o : outcomes) {
            String reply = ReplyText.clean(o.outcome().reply());
            rows.add(row(o.recipientId(), o.next().wire(), o.next() == RecipientStatus.SENT ? null : reply,
                    odt(o.retryAt()), attemptOutcome(o.outcome()), o.outcome().code(), (int) o.durationMs()));
        }
        var v = DSL.values(rows.toArray(Row7[]::new)).as("v", "rid", "status", "err", "retry", "outcome", "code", "dur");
        var rid = v.field("rid", Long.class);
        var status = v.field("status", String.class);
        List<String> moved = tx.update(CAMPAIGN_RECIPIENT)
                .set(CAMPAIGN_RECIPIENT.STATUS, status)
                .set(CAMPAIGN_RECIPIENT.LAST_ERROR, v.field("err", String.class))
                .set(CAMPAIGN_RECIPIENT.RETRY_AT, v.field("retry").cast(SQLDataType.TIMESTAMPWITHTIMEZONE))
                .set(CAMPAIGN_RECIPIENT.SENT_AT, DSL.when(status.eq("sent"), DSL.val(now)).else_(CAMPAIGN_RECIPIENT.SENT_AT))
                // A message that never reached SMTP gives its attempt back.
                .set(CAMPAIGN_RECIPIENT.ATTEMPTS, DSL.when(v.field("outcome", String.class).eq("not_sent"),
                        CAMPAIGN_RECIPIENT.ATTEMPTS.minus(1)).else_(CAMPAIGN_RECIPIENT.ATTEMPTS))
                .from(v)
                .where(CAMPAIGN_RECIPIENT.ID.eq(rid), CAMPAIGN_RECIPIENT.STATUS.eq("sending"),
                        CAMPAIGN_RECIPIENT.FENCE.eq(claim.fence()))
                .returning(CAMPAIGN_RECIPIENT.STATUS).fetch(CAMPAIGN_RECIPIENT.STATUS);
        tx.update(DELIVERY_ATTEMPT)
                .set(DELIVERY_ATTEMPT.OUTCOME, v.field("outcome", String.class))
                .set(DELIVERY_ATTEMPT.SMTP_CODE, v.field("code", Integer.class))
                .set(DELIVERY_ATTEMPT.REPLY, DSL.coalesce(v.field("err", String.class), DSL.inline("accepted")))
                .set(DELIVERY_ATTEMPT.DURATION_MS, v.field("dur", Integer.class))
                .from(v)
                .where(DELIVERY_ATTEMPT.RECIPIENT_ID.eq(rid), DELIVERY_ATTEMPT.OUTCOME.eq("sending"))
                .execute();
        CounterDelta delta = new CounterDelta();
        for (String s : moved) delta.move(RecipientStatus.SENDING, RecipientStatus.fromWire(s), 1);
        delta.apply(tx, claim.campaignId());
    }

    static String attemptOutcome(DeliveryOutcome o) {
        return switch (o) {
            case DeliveryOutcome.Sent s -> "sent";
            case DeliveryOutcome.RetryLater r -> "transient";
            case DeliveryOutcome.Failed f -> "failed";
            case DeliveryOutcome.Unknown u -> "uncertain";
            case DeliveryOutcome.NotSent n -> "not_sent";
        };
    }
}
