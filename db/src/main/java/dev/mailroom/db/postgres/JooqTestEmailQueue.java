package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static dev.mailroom.db.generated.Tables.TEST_EMAIL;
import static dev.mailroom.db.postgres.Times.odt;

import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.delivery.ReplyText;
import dev.mailroom.core.port.TestEmailQueue;
import dev.mailroom.core.testemail.TestEmail;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** The worker's side of test emails; the attempt row is committed before SMTP, as for campaigns. */
public final class JooqTestEmailQueue implements TestEmailQueue {
    private final DSLContext dsl;

    public JooqTestEmailQueue(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** With the recipient it is rendered as, read as the campaign path reads it (its vars parsed alike). */
    @Override
    public List<TestEmail> due(long senderId, int limit, Instant now) {
        var suppressed = DSL.exists(DSL.selectOne().from(SUPPRESSION).where(SUPPRESSION.EMAIL.eq(DSL.lower(TEST_EMAIL.TO_EMAIL))));
        var r = CAMPAIGN_RECIPIENT;
        return dsl.select(TEST_EMAIL.ID, TEST_EMAIL.TO_EMAIL, TEST_EMAIL.SUBJECT, TEST_EMAIL.HTML, TEST_EMAIL.BODY_TEXT,
                        TEST_EMAIL.ATTEMPTS, DSL.field(suppressed), r.ID, r.EMAIL, r.NAME, r.VARS)
                .from(TEST_EMAIL)
                .leftJoin(r).on(r.ID.eq(TEST_EMAIL.RECIPIENT_ID))
                .where(TEST_EMAIL.SENDER_ID.eq(senderId))
                .and(TEST_EMAIL.STATUS.eq("queued")
                        .or(TEST_EMAIL.STATUS.eq("deferred").and(TEST_EMAIL.DEFERRED_UNTIL.le(odt(now)))))
                .orderBy(TEST_EMAIL.ID).limit(limit)
                .fetch(x -> new TestEmail(x.value1(), x.value2(), x.value3(), x.value4(), x.value5(),
                        x.value8() == null ? null : new TestEmail.RenderedAs(x.value8(), x.value9(), x.value10(),
                                RecipientVars.parse(x.value11())),
                        x.value6(), x.value7()));
    }

    @Override
    public Set<Long> markSending(long senderId, List<OutgoingMessage> messages, String workerId, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Set<Long> marked = new HashSet<>();
            for (OutgoingMessage e : messages) {
                var row = tx.update(TEST_EMAIL)
                        .set(TEST_EMAIL.STATUS, "sending")
                        .set(TEST_EMAIL.MESSAGE_ID, e.messageId())
                        .set(TEST_EMAIL.ATTEMPTS, TEST_EMAIL.ATTEMPTS.plus(1))
                        .set(TEST_EMAIL.ATTEMPTED_AT, odt(now))
                        .where(TEST_EMAIL.ID.eq(e.key()), TEST_EMAIL.STATUS.in("queued", "deferred"))
                        .returning(TEST_EMAIL.ATTEMPTS).fetchOptional();
                if (row.isEmpty()) continue;
                tx.insertInto(DELIVERY_ATTEMPT, DELIVERY_ATTEMPT.SENDER_ID, DELIVERY_ATTEMPT.TEST_EMAIL_ID,
                                DELIVERY_ATTEMPT.ATTEMPT_NO, DELIVERY_ATTEMPT.OUTCOME, DELIVERY_ATTEMPT.WORKER_ID,
                                DELIVERY_ATTEMPT.ATTEMPTED_AT)
                        .values(senderId, e.key(), row.get().getAttempts(), "sending", workerId, odt(now)).execute();
                marked.add(e.key());
            }
            return marked;
        });
    }

    @Override
    public void record(long testEmailId, DeliveryOutcome outcome, long durationMs, Instant now) {
        String status = switch (outcome) {
            case DeliveryOutcome.Sent s -> "sent";
            case DeliveryOutcome.MailboxRefused m -> "failed";
            case DeliveryOutcome.MessageRefused m -> "failed";
            case DeliveryOutcome.Unknown u -> "uncertain";
            // The caller defers it through DeferService (I3); until then it is simply waiting again.
            case DeliveryOutcome.RetryLater r -> "queued";
            case DeliveryOutcome.RelayRefused r -> "queued";
            case DeliveryOutcome.NotSent n -> "queued";
        };
        String reply = ReplyText.clean(outcome.reply());
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            tx.update(TEST_EMAIL).set(TEST_EMAIL.STATUS, status)
                    .set(TEST_EMAIL.LAST_ERROR, status.equals("sent") ? null : reply)
                    .set(TEST_EMAIL.SENT_AT, status.equals("sent") ? odt(now) : null)
                    .where(TEST_EMAIL.ID.eq(testEmailId), TEST_EMAIL.STATUS.eq("sending")).execute();
            tx.update(DELIVERY_ATTEMPT)
                    .set(DELIVERY_ATTEMPT.OUTCOME, OutcomeWriter.attemptOutcome(outcome))
                    .set(DELIVERY_ATTEMPT.SMTP_CODE, outcome.code())
                    .set(DELIVERY_ATTEMPT.REPLY, reply)
                    .set(DELIVERY_ATTEMPT.DURATION_MS, (int) durationMs)
                    .set(DELIVERY_ATTEMPT.FAULT, outcome.fault() == null ? null : outcome.fault().wire())
                    .where(DELIVERY_ATTEMPT.TEST_EMAIL_ID.eq(testEmailId), DELIVERY_ATTEMPT.OUTCOME.eq("sending"))
                    .execute();
        });
    }

    @Override
    public void fail(long testEmailId, String why, Instant now) {
        dsl.update(TEST_EMAIL).set(TEST_EMAIL.STATUS, "failed").set(TEST_EMAIL.LAST_ERROR, why)
                .setNull(TEST_EMAIL.DEFER_REASON).setNull(TEST_EMAIL.DEFERRED_UNTIL)
                .where(TEST_EMAIL.ID.eq(testEmailId), TEST_EMAIL.STATUS.in("queued", "deferred")).execute();
    }

    @Override
    public int recoverStuck(long senderId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            List<Long> ids = tx.update(TEST_EMAIL).set(TEST_EMAIL.STATUS, "uncertain")
                    .set(TEST_EMAIL.LAST_ERROR, "the worker sending it stopped before recording the result")
                    .where(TEST_EMAIL.SENDER_ID.eq(senderId), TEST_EMAIL.STATUS.eq("sending"))
                    .returning(TEST_EMAIL.ID).fetch(TEST_EMAIL.ID);
            if (!ids.isEmpty()) {
                tx.update(DELIVERY_ATTEMPT).set(DELIVERY_ATTEMPT.OUTCOME, "uncertain")
                        .where(DELIVERY_ATTEMPT.TEST_EMAIL_ID.in(ids), DELIVERY_ATTEMPT.OUTCOME.eq("sending")).execute();
            }
            return ids.size();
        });
    }
}
