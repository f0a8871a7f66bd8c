package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.WEBHOOK_DELIVERY;
import static dev.mailroom.db.generated.Tables.WEBHOOK_ENDPOINT;
import static dev.mailroom.db.generated.Tables.WEBHOOK_OUTBOX;
import static dev.mailroom.db.postgres.Times.odt;

import dev.mailroom.core.delivery.ReplyText;
import dev.mailroom.core.port.WebhookQueue;
import dev.mailroom.core.webhook.WebhookCall;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;

/** Leases due outbox rows with SKIP LOCKED, so many workers dispatch without delivering a row twice at once. */
public final class JooqWebhookQueue implements WebhookQueue {
    private final DSLContext dsl;

    public JooqWebhookQueue(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public List<WebhookCall> takeDue(int limit, Duration lease, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            List<Long> ids = tx.select(WEBHOOK_OUTBOX.ID).from(WEBHOOK_OUTBOX)
                    .where(WEBHOOK_OUTBOX.STATUS.eq("pending"), WEBHOOK_OUTBOX.NEXT_ATTEMPT_AT.le(odt(now)))
                    .orderBy(WEBHOOK_OUTBOX.NEXT_ATTEMPT_AT, WEBHOOK_OUTBOX.ID).limit(limit)
                    .forUpdate().skipLocked().fetch(WEBHOOK_OUTBOX.ID);
            if (ids.isEmpty()) return List.<WebhookCall>of();
            tx.update(WEBHOOK_OUTBOX).set(WEBHOOK_OUTBOX.ATTEMPTS, WEBHOOK_OUTBOX.ATTEMPTS.plus(1))
                    .set(WEBHOOK_OUTBOX.NEXT_ATTEMPT_AT, odt(now.plus(lease)))
                    .where(WEBHOOK_OUTBOX.ID.in(ids)).execute();
            return tx.select(WEBHOOK_OUTBOX.ID, WEBHOOK_OUTBOX.ENDPOINT_ID, WEBHOOK_ENDPOINT.URL, WEBHOOK_ENDPOINT.SECRET,
                            WEBHOOK_OUTBOX.EVENT, WEBHOOK_OUTBOX.PAYLOAD, WEBHOOK_OUTBOX.ATTEMPTS, WEBHOOK_OUTBOX.CREATED_AT)
                    .from(WEBHOOK_OUTBOX).join(WEBHOOK_ENDPOINT).on(WEBHOOK_ENDPOINT.ID.eq(WEBHOOK_OUTBOX.ENDPOINT_ID))
                    .where(WEBHOOK_OUTBOX.ID.in(ids)).orderBy(WEBHOOK_OUTBOX.ID)
                    .fetch(r -> new WebhookCall(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                            r.value7(), Times.instant(r.value8())));
        });
    }

    @Override
    public void recordAttempt(WebhookCall call, Integer statusCode, String error, long durationMs, Instant retryAt,
                              Instant now) {
        boolean delivered = statusCode != null && statusCode >= 200 && statusCode < 300;
        String cleanError = ReplyText.clean(error);
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.insertInto(WEBHOOK_DELIVERY, WEBHOOK_DELIVERY.OUTBOX_ID, WEBHOOK_DELIVERY.ENDPOINT_ID,
                            WEBHOOK_DELIVERY.ATTEMPT_NO, WEBHOOK_DELIVERY.STATUS_CODE, WEBHOOK_DELIVERY.ERROR,
                            WEBHOOK_DELIVERY.DURATION_MS, WEBHOOK_DELIVERY.ATTEMPTED_AT)
                    .values(call.outboxId(), call.endpointId(), call.attemptNo(), statusCode, cleanError,
                            (int) durationMs, odt(now))
                    .execute();
            var update = tx.update(WEBHOOK_OUTBOX).set(WEBHOOK_OUTBOX.LAST_ERROR, delivered ? null : cleanError);
            if (delivered) {
                update = update.set(WEBHOOK_OUTBOX.STATUS, "delivered").set(WEBHOOK_OUTBOX.DELIVERED_AT, odt(now));
            } else if (retryAt == null) {
                update = update.set(WEBHOOK_OUTBOX.STATUS, "failed");
            } else {
                update = update.set(WEBHOOK_OUTBOX.NEXT_ATTEMPT_AT, odt(retryAt));
            }
            update.where(WEBHOOK_OUTBOX.ID.eq(call.outboxId())).execute();
        });
    }
}
