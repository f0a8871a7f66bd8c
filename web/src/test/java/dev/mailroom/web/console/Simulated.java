package dev.mailroom.web.console;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CONNECTION_TEST;
import static dev.mailroom.db.generated.Tables.SENDER;
import static dev.mailroom.db.generated.Tables.TEST_EMAIL;

import java.time.OffsetDateTime;
import org.jooq.DSLContext;

/**
 * What a worker would write, done in SQL so the console can be watched moving without one (the web
 * module cannot hold a worker: I1). Counters are recomputed from the rows in the same statement
 * batch, so total = pending + sending + sent + failed + uncertain + suppressed holds throughout.
 */
final class Simulated {
    private final DSLContext dsl;

    Simulated(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Marks the next {@code n} pending recipients as {@code status} with one attempt each. */
    Simulated settle(long campaignId, int n, String status) {
        String outcome = status.equals("sent") ? "sent" : status.equals("failed") ? "failed" : "uncertain";
        Integer code = status.equals("sent") ? Integer.valueOf(250) : status.equals("failed") ? Integer.valueOf(550) : null;
        String reply = status.equals("sent") ? "250 2.0.0 Ok: queued" : status.equals("failed")
                ? "550 5.1.1 <mailbox>: Recipient address rejected: User unknown" : null;
        dsl.execute("""
                with picked as (select id from campaign_recipient where campaign_id = ? and status = 'pending' order by id limit ?)
                update campaign_recipient r set status = ?, attempts = attempts + 1, attempted_at = now(),
                       sent_at = case when ? = 'sent' then now() end,
                       message_id = '<' || r.id || '.c' || r.campaign_id || '@mailroom.example>',
                       last_error = case when ? = 'failed' then ? end
                  from picked where r.id = picked.id""", campaignId, n, status, status, status, reply);
        dsl.execute("""
                insert into delivery_attempt (sender_id, campaign_id, recipient_id, attempt_no, outcome, smtp_code, reply,
                                              duration_ms, worker_id, attempted_at)
                select c.sender_id, r.campaign_id, r.id, r.attempts, ?, ?, ?, 80 + (r.id % 170), 'worker-1', r.attempted_at
                  from campaign_recipient r join campaign c on c.id = r.campaign_id
                 where r.campaign_id = ? and r.status = ?
                   and not exists (select 1 from delivery_attempt a where a.recipient_id = r.id)""",
                outcome, code, reply, campaignId, status);
        recount(campaignId);
        return this;
    }

    /** Gives a recipient an earlier transient attempt, so its timeline has two steps. */
    Simulated earlierTransientAttempt(long campaignId) {
        dsl.execute("""
                update delivery_attempt set attempt_no = 2 where id = (
                  select min(a.id) from delivery_attempt a where a.campaign_id = ? and a.outcome = 'sent')""", campaignId);
        dsl.execute("""
                insert into delivery_attempt (sender_id, campaign_id, recipient_id, attempt_no, outcome, smtp_code, reply,
                                              duration_ms, worker_id, attempted_at)
                select sender_id, campaign_id, recipient_id, 1, 'transient', 451, '451 4.7.1 Greylisted, try again in 5 minutes',
                       212, 'worker-2', attempted_at - interval '6 minutes'
                  from delivery_attempt where id = (select min(id) from delivery_attempt where campaign_id = ? and attempt_no = 2)""",
                campaignId);
        dsl.execute("""
                update campaign_recipient set attempts = 2 where id = (
                  select recipient_id from delivery_attempt where campaign_id = ? and attempt_no = 1 and outcome = 'transient' limit 1)""",
                campaignId);
        return this;
    }

    private void recount(long campaignId) {
        dsl.execute("""
                update campaign c set pending = x.pending, sending = x.sending, sent = x.sent, failed = x.failed,
                       uncertain = x.uncertain, suppressed = x.suppressed
                  from (select count(*) filter (where status = 'pending') pending, count(*) filter (where status = 'sending') sending,
                               count(*) filter (where status = 'sent') sent, count(*) filter (where status = 'failed') failed,
                               count(*) filter (where status = 'uncertain') uncertain,
                               count(*) filter (where status = 'suppressed') suppressed
                          from campaign_recipient where campaign_id = ?) x
                 where c.id = ?""", campaignId, campaignId);
    }

    /** The queue row as a worker holding the claim would leave it. */
    Simulated processing(long campaignId) {
        dsl.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "processing").set(CAMPAIGN_QUEUE.CLAIMED_BY, "worker-1")
                .set(CAMPAIGN_QUEUE.STARTED_AT, OffsetDateTime.now().minusMinutes(12))
                .set(CAMPAIGN_QUEUE.LAST_BATCH_AT, OffsetDateTime.now()).setNull(CAMPAIGN_QUEUE.DEFER_REASON)
                .setNull(CAMPAIGN_QUEUE.DEFERRED_UNTIL).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId)).execute();
        return this;
    }

    /** What DeferService writes: a reason and the time the campaign may run again. */
    Simulated deferred(long campaignId, String reason, OffsetDateTime until) {
        dsl.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "deferred").set(CAMPAIGN_QUEUE.DEFER_REASON, reason)
                .set(CAMPAIGN_QUEUE.DEFERRED_UNTIL, until).setNull(CAMPAIGN_QUEUE.CLAIMED_BY)
                .set(CAMPAIGN_QUEUE.STARTED_AT, OffsetDateTime.now().minusMinutes(40))
                .set(CAMPAIGN_QUEUE.LAST_BATCH_AT, OffsetDateTime.now().minusMinutes(3))
                .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId)).execute();
        return this;
    }

    /**
     * What a worker writes when the sender's relay could not be reached: the named fault on the sender (why its
     * campaigns wait) and as its last connection.
     */
    Simulated relayFailed(long senderId, String fault, String lastError, String detail) {
        dsl.update(SENDER).set(SENDER.LAST_ERROR, lastError).set(SENDER.LAST_ERROR_AT, OffsetDateTime.now())
                .set(SENDER.LAST_FAULT, fault).set(SENDER.RELAY_FAILURES, 1).set(SENDER.CONNECTION_STATUS, "failed")
                .set(SENDER.CONNECTION_FAULT, fault).set(SENDER.CONNECTION_DETAIL, detail)
                .set(SENDER.CONNECTION_AT, OffsetDateTime.now()).where(SENDER.ID.eq(senderId)).execute();
        return this;
    }

    /** The worker ran a connection test: {@code ok}, or {@code failed} with its fault; the sender's last connection too. */
    Simulated connectionTested(long testId, String status, String fault, String detail) {
        long sender = dsl.update(CONNECTION_TEST).set(CONNECTION_TEST.STATUS, status).set(CONNECTION_TEST.FAULT, fault)
                .set(CONNECTION_TEST.DETAIL, detail).set(CONNECTION_TEST.TESTED_AT, OffsetDateTime.now())
                .where(CONNECTION_TEST.ID.eq(testId)).returning(CONNECTION_TEST.SENDER_ID).fetchOne(CONNECTION_TEST.SENDER_ID);
        dsl.update(SENDER).set(SENDER.CONNECTION_STATUS, status).set(SENDER.CONNECTION_FAULT, fault)
                .set(SENDER.CONNECTION_DETAIL, detail).set(SENDER.CONNECTION_AT, OffsetDateTime.now()).where(SENDER.ID.eq(sender)).execute();
        return this;
    }

    /**
     * The next pending recipient's try the relay refused (nothing listened): its attempt row stays, named, and the
     * attempt is given back to the recipient (I17), as SettleBatchSql does.
     */
    Simulated refusedByTheRelay(long campaignId) {
        dsl.execute("""
                insert into delivery_attempt (sender_id, campaign_id, recipient_id, attempt_no, outcome, smtp_code, reply, fault,
                                              duration_ms, worker_id, attempted_at)
                select c.sender_id, r.campaign_id, r.id, r.attempts + 1, 'unreachable', 0, 'cannot connect: connection refused',
                       'connection_refused', 2, 'worker-1', now() - interval '10 minutes'
                  from campaign_recipient r join campaign c on c.id = r.campaign_id
                 where r.id = (select min(id) from campaign_recipient where campaign_id = ? and status = 'pending')""", campaignId);
        dsl.execute("""
                update campaign_recipient r set attempted_at = a.attempted_at from delivery_attempt a
                 where a.recipient_id = r.id and a.outcome = 'unreachable' and r.campaign_id = ?""", campaignId);
        return this;
    }

    /** {@code n} attempts of the campaign at {@code at} with this outcome, as workers record them (the rates read these). */
    Simulated attemptsAt(long campaignId, OffsetDateTime at, String outcome, int n) {
        dsl.execute("""
                insert into delivery_attempt (sender_id, campaign_id, attempt_no, outcome, worker_id, attempted_at)
                select c.sender_id, c.id, 1, ?, 'worker-1', ? from campaign c, generate_series(1, ?) where c.id = ?""",
                outcome, at, n, campaignId);
        return this;
    }

    /** The final status computed honestly (I8): sent only if nothing failed or is uncertain. */
    Simulated finished(long campaignId, String status) {
        dsl.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, status).setNull(CAMPAIGN_QUEUE.CLAIMED_BY)
                .set(CAMPAIGN_QUEUE.STARTED_AT, OffsetDateTime.now().minusHours(26))
                .set(CAMPAIGN_QUEUE.LAST_BATCH_AT, OffsetDateTime.now().minusHours(25))
                .set(CAMPAIGN_QUEUE.FINISHED_AT, OffsetDateTime.now().minusHours(25))
                .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId)).execute();
        return this;
    }

    /** A worker had to wait with the test email: why, and until when. */
    void testEmailDeferred(long testEmailId, String reason, OffsetDateTime until) {
        dsl.update(TEST_EMAIL).set(TEST_EMAIL.STATUS, "deferred").set(TEST_EMAIL.DEFER_REASON, reason)
                .set(TEST_EMAIL.DEFERRED_UNTIL, until).where(TEST_EMAIL.ID.eq(testEmailId)).execute();
    }

    /** The relay refused the test email. */
    void testEmailFailed(long testEmailId, String lastError) {
        dsl.update(TEST_EMAIL).set(TEST_EMAIL.STATUS, "failed").set(TEST_EMAIL.LAST_ERROR, lastError)
                .where(TEST_EMAIL.ID.eq(testEmailId)).execute();
    }

    /** A worker sent the test email. */
    void testEmailSent(long testEmailId) {
        dsl.update(TEST_EMAIL).set(TEST_EMAIL.STATUS, "sent").set(TEST_EMAIL.MESSAGE_ID, "<t" + testEmailId + "@mailroom.example>")
                .set(TEST_EMAIL.SENT_AT, OffsetDateTime.now()).where(TEST_EMAIL.ID.eq(testEmailId)).execute();
    }
}
