package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.SENDER;
import static dev.mailroom.db.postgres.Times.odt;

import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.ReplyText;
import dev.mailroom.core.port.RelayHealth;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * A sender's relay refusals in a row, with the webhook that reports each, in one transaction; and its last
 * connection (ok, or the named fault and its sentence), which the senders' views show.
 */
public final class JooqRelayHealth implements RelayHealth {
    private final DSLContext dsl;

    public JooqRelayHealth(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public int refused(long senderId, DeliveryOutcome.RelayRefused refusal, Instant now) {
        String reply = ReplyText.clean(refusal.reply());
        String why = refusal.reason().wire() + ": " + (reply == null ? "no reply" : reply);
        String fault = refusal.fault().wire();
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Integer inARow = tx.update(SENDER).set(SENDER.RELAY_FAILURES, SENDER.RELAY_FAILURES.plus(1))
                    .set(SENDER.LAST_ERROR, why).set(SENDER.LAST_ERROR_AT, odt(now)).set(SENDER.LAST_FAULT, fault)
                    .set(SENDER.CONNECTION_STATUS, "failed").set(SENDER.CONNECTION_FAULT, fault)
                    .set(SENDER.CONNECTION_DETAIL, ReplyText.clean(refusal.fault().describe(reply)))
                    .set(SENDER.CONNECTION_AT, odt(now))
                    .where(SENDER.ID.eq(senderId)).returning(SENDER.RELAY_FAILURES).fetchOne(SENDER.RELAY_FAILURES);
            if (inARow == null) return 0;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("sender_id", senderId);
            data.put("reason", refusal.reason().wire());
            data.put("reply", reply);
            data.put("fault", fault);
            data.put("failures_in_a_row", inARow);
            WebhookOutbox.enqueue(tx, List.of(new WebhookOutbox.Event("sender.relay_failed", data)));
            return inARow;
        });
    }

    /** Once per claim (the worker says it at the first accepted message), so the write costs nothing per message. */
    @Override
    public void accepted(long senderId, Instant now) {
        dsl.update(SENDER).set(SENDER.RELAY_FAILURES, 0).setNull(SENDER.LAST_ERROR).setNull(SENDER.LAST_ERROR_AT)
                .setNull(SENDER.LAST_FAULT).set(SENDER.CONNECTION_STATUS, "ok").setNull(SENDER.CONNECTION_FAULT)
                .set(SENDER.CONNECTION_DETAIL, "The mail server accepted mail.").set(SENDER.CONNECTION_AT, odt(now))
                .where(SENDER.ID.eq(senderId)).execute();
    }
}
