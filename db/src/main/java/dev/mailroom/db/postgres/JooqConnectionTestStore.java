package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CONNECTION_TEST;

import java.util.Optional;
import org.jooq.DSLContext;

/** Connection tests are queued rows the worker serving the sender runs (I1); the web tier only enqueues and reads. */
public final class JooqConnectionTestStore {
    private final DSLContext dsl;

    public JooqConnectionTestStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Inserts a {@code queued} test of the sender's relay and returns its id. */
    public long enqueue(long senderId) {
        return dsl.insertInto(CONNECTION_TEST, CONNECTION_TEST.SENDER_ID).values(senderId)
                .returning(CONNECTION_TEST.ID).fetchOne(CONNECTION_TEST.ID);
    }

    /** The sender's test with this id; empty when there is none, or it is another sender's. */
    public Optional<ConnectionTestRow> find(long senderId, long id) {
        var t = CONNECTION_TEST;
        return dsl.selectFrom(t).where(t.ID.eq(id), t.SENDER_ID.eq(senderId))
                .fetchOptional(r -> new ConnectionTestRow(r.getId(), r.getSenderId(), r.getStatus(), r.getFault(), r.getDetail(),
                        Times.instant(r.getCreatedAt()), Times.instant(r.getTestedAt())));
    }
}
