package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CONNECTION_TEST;
import static dev.mailroom.db.generated.Tables.SENDER;
import static dev.mailroom.db.postgres.Times.odt;

import dev.mailroom.core.delivery.ConnectionCheck;
import dev.mailroom.core.delivery.ReplyText;
import dev.mailroom.core.port.ConnectionTestQueue;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;

/**
 * The worker's side of connection tests. Read and written under the sender's lock, so no claim is needed:
 * a worker that dies mid-test leaves it queued, and the next one runs it again (it sends nothing).
 */
public final class JooqConnectionTestQueue implements ConnectionTestQueue {
    private final DSLContext dsl;

    public JooqConnectionTestQueue(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public List<Long> due(long senderId, int limit) {
        return dsl.select(CONNECTION_TEST.ID).from(CONNECTION_TEST)
                .where(CONNECTION_TEST.SENDER_ID.eq(senderId), CONNECTION_TEST.STATUS.eq("queued"))
                .orderBy(CONNECTION_TEST.ID).limit(limit).fetch(CONNECTION_TEST.ID);
    }

    /** The test's result and the sender's last connection, in one transaction; the relay backoff is left alone. */
    @Override
    public void record(long testId, long senderId, ConnectionCheck result, String workerId, Instant now) {
        String status = result.ok() ? "ok" : "failed";
        String fault = result.ok() ? null : result.fault().wire();
        String detail = ReplyText.clean(result.detail());
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.update(CONNECTION_TEST).set(CONNECTION_TEST.STATUS, status).set(CONNECTION_TEST.FAULT, fault)
                    .set(CONNECTION_TEST.DETAIL, detail).set(CONNECTION_TEST.WORKER_ID, workerId)
                    .set(CONNECTION_TEST.TESTED_AT, odt(now))
                    .where(CONNECTION_TEST.ID.eq(testId), CONNECTION_TEST.STATUS.eq("queued")).execute();
            tx.update(SENDER).set(SENDER.CONNECTION_STATUS, status).set(SENDER.CONNECTION_FAULT, fault)
                    .set(SENDER.CONNECTION_DETAIL, detail).set(SENDER.CONNECTION_AT, odt(now))
                    .where(SENDER.ID.eq(senderId)).execute();
        });
    }
}
