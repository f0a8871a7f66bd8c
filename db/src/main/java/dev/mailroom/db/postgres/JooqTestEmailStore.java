package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.TEST_EMAIL;

import java.util.Optional;
import org.jooq.DSLContext;

/** Test emails are queued rows a worker sends between batches (I1); the web tier only enqueues and reads. */
public final class JooqTestEmailStore {
    private final DSLContext dsl;

    public JooqTestEmailStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Inserts a {@code queued} test email and returns its id. */
    public long enqueue(NewTestEmail t) {
        return dsl.insertInto(TEST_EMAIL, TEST_EMAIL.SENDER_ID, TEST_EMAIL.CAMPAIGN_ID, TEST_EMAIL.TO_EMAIL,
                        TEST_EMAIL.SUBJECT, TEST_EMAIL.HTML, TEST_EMAIL.BODY_TEXT, TEST_EMAIL.STATUS)
                .values(t.senderId(), t.campaignId(), t.to(), t.subject(), t.html(), t.text(), "queued")
                .returning(TEST_EMAIL.ID).fetchOne(TEST_EMAIL.ID);
    }

    public Optional<TestEmailRow> find(long id) {
        var t = TEST_EMAIL;
        return dsl.select(t.ID, t.SENDER_ID, t.STATUS, t.MESSAGE_ID, t.LAST_ERROR, t.DEFER_REASON, t.DEFERRED_UNTIL)
                .from(t).where(t.ID.eq(id))
                .fetchOptional(r -> new TestEmailRow(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(),
                        r.value6(), Times.instant(r.value7())));
    }
}
