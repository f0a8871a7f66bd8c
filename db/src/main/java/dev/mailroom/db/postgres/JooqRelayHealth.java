package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.SENDER;
import static dev.mailroom.db.postgres.Times.odt;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.delivery.ReplyText;
import dev.mailroom.core.port.RelayHealth;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/** A sender's relay refusals in a row, with the webhook that reports each, in one transaction. */
public final class JooqRelayHealth implements RelayHealth {
    private final DSLContext dsl;

    public JooqRelayHealth(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public int refused(long senderId, DeferReason reason, String reply, Instant now) {
        String why = reason.wire() + ": " + ReplyText.clean(reply == null ? "no reply" : reply);
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Integer inARow = tx.update(SENDER).set(SENDER.RELAY_FAILURES, SENDER.RELAY_FAILURES.plus(1))
                    .set(SENDER.LAST_ERROR, why).set(SENDER.LAST_ERROR_AT, odt(now))
                    .where(SENDER.ID.eq(senderId)).returning(SENDER.RELAY_FAILURES).fetchOne(SENDER.RELAY_FAILURES);
            if (inARow == null) return 0;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("sender_id", senderId);
            data.put("reason", reason.wire());
            data.put("reply", ReplyText.clean(reply));
            data.put("failures_in_a_row", inARow);
            WebhookOutbox.enqueue(tx, List.of(new WebhookOutbox.Event("sender.relay_failed", data)));
            return inARow;
        });
    }

    @Override
    public void accepted(long senderId) {
        dsl.update(SENDER).set(SENDER.RELAY_FAILURES, 0).setNull(SENDER.LAST_ERROR).setNull(SENDER.LAST_ERROR_AT)
                .where(SENDER.ID.eq(senderId), SENDER.RELAY_FAILURES.gt(0)).execute();
    }
}
