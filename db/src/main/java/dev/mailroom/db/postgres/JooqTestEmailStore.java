package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.TEST_EMAIL;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SelectJoinStep;

/** Test emails are queued rows a worker sends between batches (I1); the web tier only enqueues and reads. */
public final class JooqTestEmailStore {
    private final DSLContext dsl;

    public JooqTestEmailStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Inserts a {@code queued} test email and returns its id. */
    public long enqueue(NewTestEmail t) {
        return enqueueAll(List.of(t)).getFirst();
    }

    /** Inserts them {@code queued}, all or none, and returns their ids in the same order. */
    public List<Long> enqueueAll(List<NewTestEmail> emails) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            List<Long> ids = new ArrayList<>(emails.size());
            for (NewTestEmail t : emails) {
                ids.add(tx.insertInto(TEST_EMAIL, TEST_EMAIL.SENDER_ID, TEST_EMAIL.CAMPAIGN_ID, TEST_EMAIL.RECIPIENT_ID,
                                TEST_EMAIL.TO_EMAIL, TEST_EMAIL.SUBJECT, TEST_EMAIL.HTML, TEST_EMAIL.BODY_TEXT, TEST_EMAIL.STATUS)
                        .values(t.senderId(), t.campaignId(), t.recipientId(), t.to(), t.subject(), t.html(), t.text(), "queued")
                        .returning(TEST_EMAIL.ID).fetchOne(TEST_EMAIL.ID));
            }
            return ids;
        });
    }

    public Optional<TestEmailRow> find(long id) {
        return select().where(TEST_EMAIL.ID.eq(id)).fetchOptional(JooqTestEmailStore::toRow);
    }

    /** A campaign's test emails, newest first; {@code beforeId} is the previous page's last id. */
    public Page<TestEmailRow, Long> ofCampaign(long campaignId, Long beforeId, int limit) {
        var c = TEST_EMAIL.CAMPAIGN_ID.eq(campaignId);
        if (beforeId != null) c = c.and(TEST_EMAIL.ID.lt(beforeId));
        var rows = select().where(c).orderBy(TEST_EMAIL.ID.desc()).limit(limit + 1).fetch(JooqTestEmailStore::toRow);
        return Page.of(rows, limit, TestEmailRow::id);
    }

    private static final List<Field<?>> FIELDS = List.of(TEST_EMAIL.ID, TEST_EMAIL.SENDER_ID, TEST_EMAIL.CAMPAIGN_ID,
            TEST_EMAIL.RECIPIENT_ID, TEST_EMAIL.TO_EMAIL, TEST_EMAIL.STATUS, TEST_EMAIL.MESSAGE_ID, TEST_EMAIL.LAST_ERROR,
            TEST_EMAIL.DEFER_REASON, TEST_EMAIL.DEFERRED_UNTIL, TEST_EMAIL.CREATED_AT, TEST_EMAIL.SENT_AT);

    private SelectJoinStep<Record> select() {
        return dsl.select(FIELDS).from(TEST_EMAIL);
    }

    private static TestEmailRow toRow(Record r) {
        var t = TEST_EMAIL;
        return new TestEmailRow(r.get(t.ID), r.get(t.SENDER_ID), r.get(t.CAMPAIGN_ID), r.get(t.RECIPIENT_ID),
                r.get(t.TO_EMAIL), r.get(t.STATUS), r.get(t.MESSAGE_ID), r.get(t.LAST_ERROR), r.get(t.DEFER_REASON),
                Times.instant(r.get(t.DEFERRED_UNTIL)), Times.instant(r.get(t.CREATED_AT)), Times.instant(r.get(t.SENT_AT)));
    }
}
