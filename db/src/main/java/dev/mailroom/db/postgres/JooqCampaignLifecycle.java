package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.QUEUE_EVENT;
import static dev.mailroom.db.generated.Tables.SENDER;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static dev.mailroom.db.postgres.Times.odt;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.campaign.UserAction;
import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.defer.DeferService;
import dev.mailroom.core.error.InvalidInput;
import dev.mailroom.core.error.InvalidTransition;
import dev.mailroom.core.error.NotFound;
import dev.mailroom.core.recipient.RecipientStatus;
import dev.mailroom.db.generated.tables.records.CampaignQueueRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * The user's lifecycle moves. Each is one conditional UPDATE of the campaign_queue row (where the status
 * is one the move is allowed from) plus a queue_event row, in one transaction; zero rows updated means
 * the move is not allowed now and answers {@link InvalidTransition} with the current status. Every move
 * to queued re-applies a future {@code send_at} through DeferService, in the same transaction (deferred,
 * reason scheduled), so no worker sees the campaign ready before its time.
 * Redis signals (wake-up, pause/cancel) are the caller's job, after commit.
 */
public final class JooqCampaignLifecycle {
    private static final Field<OffsetDateTime> NOW = DSL.currentOffsetDateTime();
    private static final Set<CampaignStatus> REQUEUE_AFTER_RETRY =
            EnumSet.of(CampaignStatus.SENT, CampaignStatus.COMPLETED_WITH_ERRORS);
    private static final Set<CampaignStatus> SCHEDULABLE =
            EnumSet.of(CampaignStatus.DRAFT, CampaignStatus.QUEUED, CampaignStatus.DEFERRED, CampaignStatus.PAUSED);

    private final DSLContext dsl;
    private final Clock clock;

    public JooqCampaignLifecycle(DSLContext dsl) {
        this(dsl, Clock.systemUTC());
    }

    public JooqCampaignLifecycle(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** The same moves inside the caller's transaction {@code tx} (e.g. one that also records an audit event). */
    public JooqCampaignLifecycle in(DSLContext tx) {
        return new JooqCampaignLifecycle(tx, clock);
    }

    /** Where a move left the campaign; {@code senderId} is for the wake-up. */
    public record Moved(long campaignId, long senderId, CampaignStatus status) {}

    /** A retry: where it left the campaign and how many recipients went back to pending. */
    public record Retried(Moved moved, int retried) {}

    /** queue, pause, resume, cancel, retry-uncertain. */
    public Moved apply(long campaignId, UserAction action) {
        if (action == UserAction.RETRY_UNCERTAIN) return retryUncertain(campaignId);
        if (action == UserAction.RETRY_FAILED) return retryFailed(campaignId).moved();
        Instant now = clock.instant();
        return dsl.transactionResult(cfg -> move(cfg.dsl(), campaignId, action, CampaignStatus.allowedFrom(action), now));
    }

    /**
     * Uncertain recipients back to pending (explicit at-least-once, I7), counters moved in the same
     * transaction (I9). A finished campaign (sent / completed_with_errors) is queued again; an open one
     * keeps its status and picks the rows up. Refused (409) when there is no uncertain recipient, or
     * when the campaign was cancelled (a cancelled campaign never sends again).
     */
    public Moved retryUncertain(long campaignId) {
        Instant now = clock.instant();
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            CampaignQueueRecord q = lockQueueRow(tx, campaignId);
            CampaignStatus current = CampaignStatus.fromWire(q.getStatus());
            if (current == CampaignStatus.CANCELLED) throw refused(campaignId, q.getStatus(), "retry-uncertain");
            int n = tx.update(CAMPAIGN_RECIPIENT).set(CAMPAIGN_RECIPIENT.STATUS, RecipientStatus.PENDING.wire())
                    .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId)
                            .and(CAMPAIGN_RECIPIENT.STATUS.eq(RecipientStatus.UNCERTAIN.wire())))
                    .execute();
            if (n == 0) throw refused(campaignId, q.getStatus(), "retry-uncertain");
            new CounterDelta().move(RecipientStatus.UNCERTAIN, RecipientStatus.PENDING, n).apply(tx, campaignId);
            if (REQUEUE_AFTER_RETRY.contains(current)) {
                return move(tx, campaignId, UserAction.RETRY_UNCERTAIN, REQUEUE_AFTER_RETRY, now);
            }
            event(tx, campaignId, current.wire(), null, "user:retry-uncertain " + n);
            return new Moved(campaignId, q.getSenderId(), current);
        });
    }

    /**
     * Failed recipients whose mailbox did not refuse them (their last attempt was a policy refusal, or
     * their retries ran out) and whose address is not suppressed → pending, counters moved in the same
     * transaction (I9, the total unchanged). A finished campaign is queued again (re-applying a future
     * send_at); a paused one stays paused. 409 for any other status, cancelled included. Each retried
     * recipient gets one more attempt: its attempt count is history and is kept.
     */
    public Retried retryFailed(long campaignId) {
        Instant now = clock.instant();
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            CampaignQueueRecord q = lockQueueRow(tx, campaignId);
            CampaignStatus current = CampaignStatus.fromWire(q.getStatus());
            if (!CampaignStatus.allowedFrom(UserAction.RETRY_FAILED).contains(current)) {
                throw refused(campaignId, q.getStatus(), "retry-failed");
            }
            var r = CAMPAIGN_RECIPIENT;
            Field<String> lastOutcome = DSL.field(DSL.select(DELIVERY_ATTEMPT.OUTCOME).from(DELIVERY_ATTEMPT)
                    .where(DELIVERY_ATTEMPT.RECIPIENT_ID.eq(r.ID)).orderBy(DELIVERY_ATTEMPT.ID.desc()).limit(1));
            int n = tx.update(r).set(r.STATUS, RecipientStatus.PENDING.wire()).setNull(r.RETRY_AT)
                    .where(r.CAMPAIGN_ID.eq(campaignId), r.STATUS.eq(RecipientStatus.FAILED.wire()))
                    .andNotExists(DSL.selectOne().from(SUPPRESSION).where(SUPPRESSION.EMAIL.eq(r.EMAIL)))
                    // 'failed' is the attempt outcome of a refused mailbox (I15): never retried.
                    .and(DSL.coalesce(lastOutcome, DSL.inline("")).ne(DSL.inline("failed")))
                    .execute();
            Moved moved = new Moved(campaignId, q.getSenderId(), current);
            if (n == 0) return new Retried(moved, 0);
            new CounterDelta().move(RecipientStatus.FAILED, RecipientStatus.PENDING, n).apply(tx, campaignId);
            if (REQUEUE_AFTER_RETRY.contains(current)) {
                moved = move(tx, campaignId, UserAction.RETRY_FAILED, REQUEUE_AFTER_RETRY, now);
            } else {
                event(tx, campaignId, current.wire(), null, "user:retry-failed " + n);
            }
            return new Retried(moved, n);
        });
    }

    /**
     * Sets (or, with null, clears) {@code send_at} while the campaign is draft, queued, deferred or paused.
     * A queued or deferred campaign is held until a future send_at at once; one held only by its schedule
     * becomes ready when the send_at is cleared or moved into the past. A draft or paused campaign keeps
     * its status: queuing or resuming it re-applies the send_at.
     */
    /** What a draft may still change before it is queued; a null field keeps its value. */
    public record DraftEdit(String name, String subject, Long senderId, Body html, Body text) {
        /** A body's new value, null to remove it (the other body must remain). */
        public record Body(String value) {}

        public boolean isEmpty() {
            return name == null && subject == null && senderId == null && html == null && text == null;
        }
    }

    /**
     * A draft's name, subject, bodies or sender, in one transaction with the queue row locked: 409
     * (InvalidTransition) once it was queued; 400 when no body would remain or the sender does not exist.
     */
    public Moved edit(long campaignId, DraftEdit edit) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            CampaignQueueRecord q = lockQueueRow(tx, campaignId);
            if (!CampaignStatus.DRAFT.wire().equals(q.getStatus())) throw refused(campaignId, q.getStatus(), "edit");
            if (edit.senderId() != null && !tx.fetchExists(SENDER, SENDER.ID.eq(edit.senderId()))) {
                throw InvalidInput.of("sender_id", "no sender with this id");
            }
            Map<Field<?>, Object> sets = new java.util.LinkedHashMap<>();
            if (edit.name() != null) sets.put(CAMPAIGN.NAME, edit.name());
            if (edit.subject() != null) sets.put(CAMPAIGN.SUBJECT, edit.subject());
            if (edit.senderId() != null) sets.put(CAMPAIGN.SENDER_ID, edit.senderId());
            if (edit.html() != null) sets.put(CAMPAIGN.HTML, edit.html().value());
            if (edit.text() != null) sets.put(CAMPAIGN.BODY_TEXT, edit.text().value());
            if (sets.isEmpty()) return new Moved(campaignId, q.getSenderId(), CampaignStatus.DRAFT);
            var bodies = tx.update(CAMPAIGN).set(sets).where(CAMPAIGN.ID.eq(campaignId))
                    .returning(CAMPAIGN.HTML, CAMPAIGN.BODY_TEXT).fetchOne();
            if (blank(bodies.getHtml()) && blank(bodies.getBodyText())) throw InvalidInput.of("html", "html or text is required");
            if (edit.senderId() != null) {
                tx.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.SENDER_ID, edit.senderId()).set(CAMPAIGN_QUEUE.UPDATED_AT, NOW)
                        .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId)).execute();
            }
            return new Moved(campaignId, edit.senderId() != null ? edit.senderId() : q.getSenderId(), CampaignStatus.DRAFT);
        });
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    public Moved schedule(long campaignId, Instant sendAt) {
        Instant now = clock.instant();
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            CampaignQueueRecord q = lockQueueRow(tx, campaignId);
            CampaignStatus current = CampaignStatus.fromWire(q.getStatus());
            if (!SCHEDULABLE.contains(current)) throw refused(campaignId, q.getStatus(), "schedule");
            tx.update(CAMPAIGN).set(CAMPAIGN.SEND_AT, odt(sendAt)).where(CAMPAIGN.ID.eq(campaignId)).execute();
            Moved unchanged = new Moved(campaignId, q.getSenderId(), current);
            if (current != CampaignStatus.QUEUED && current != CampaignStatus.DEFERRED) return unchanged;
            if (holdUntilSendAt(tx, campaignId, now)) {
                return new Moved(campaignId, q.getSenderId(), CampaignStatus.DEFERRED);
            }
            if (current == CampaignStatus.DEFERRED && DeferReason.SCHEDULED.wire().equals(q.getDeferReason())) {
                tx.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, CampaignStatus.QUEUED.wire())
                        .setNull(CAMPAIGN_QUEUE.DEFER_REASON).setNull(CAMPAIGN_QUEUE.DEFERRED_UNTIL)
                        .set(CAMPAIGN_QUEUE.UPDATED_AT, odt(now))
                        .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId)).execute();
                event(tx, campaignId, CampaignStatus.QUEUED.wire(), null, "user:schedule cleared");
                return new Moved(campaignId, q.getSenderId(), CampaignStatus.QUEUED);
            }
            return unchanged;
        });
    }

    private static Moved move(DSLContext tx, long campaignId, UserAction action, Set<CampaignStatus> from, Instant now) {
        CampaignStatus target = action.target();
        Map<Field<?>, Object> sets = new java.util.LinkedHashMap<>();
        sets.put(CAMPAIGN_QUEUE.STATUS, target.wire());
        sets.put(CAMPAIGN_QUEUE.UPDATED_AT, NOW);
        sets.put(CAMPAIGN_QUEUE.DEFERRED_UNTIL, null);
        sets.put(CAMPAIGN_QUEUE.DEFER_REASON, null);
        switch (action) {
            case QUEUE, RETRY_UNCERTAIN, RETRY_FAILED -> {
                sets.put(CAMPAIGN_QUEUE.QUEUED_AT, NOW);
                sets.put(CAMPAIGN_QUEUE.FINISHED_AT, null);
            }
            // Resume keeps the original queued_at, so the campaign keeps its place in the queue.
            case RESUME -> sets.put(CAMPAIGN_QUEUE.QUEUED_AT, DSL.coalesce(CAMPAIGN_QUEUE.QUEUED_AT, NOW));
            // claimed_by and fence stay: the worker sees the status before its next batch and lets go.
            case PAUSE -> sets.put(CAMPAIGN_QUEUE.DEFER_REASON, DeferReason.PAUSED_BY_USER.wire());
            case CANCEL -> sets.put(CAMPAIGN_QUEUE.FINISHED_AT, NOW);
        }
        List<String> allowed = from.stream().map(CampaignStatus::wire).toList();
        Long senderId = tx.update(CAMPAIGN_QUEUE).set(sets)
                .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId).and(CAMPAIGN_QUEUE.STATUS.in(allowed)))
                .returning(CAMPAIGN_QUEUE.SENDER_ID).fetchOptional(CAMPAIGN_QUEUE.SENDER_ID).orElse(null);
        if (senderId == null) {
            String current = tx.select(CAMPAIGN_QUEUE.STATUS).from(CAMPAIGN_QUEUE)
                    .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId)).fetchOptional(CAMPAIGN_QUEUE.STATUS)
                    .orElseThrow(() -> new NotFound("campaign", campaignId));
            throw new InvalidTransition(campaignId, current, verb(action));
        }
        String reason = action == UserAction.PAUSE ? DeferReason.PAUSED_BY_USER.wire() : null;
        event(tx, campaignId, target.wire(), reason, "user:" + verb(action));
        if (target == CampaignStatus.QUEUED && holdUntilSendAt(tx, campaignId, now)) {
            return new Moved(campaignId, senderId, CampaignStatus.DEFERRED);
        }
        return new Moved(campaignId, senderId, target);
    }

    /** Through DeferService, the one way anything waits (I3), in this move's own transaction. */
    private static boolean holdUntilSendAt(DSLContext tx, long campaignId, Instant now) {
        return DeferService.withinTransaction(new JooqDeferralStore(tx)).holdUntilSendAt(campaignId, now).isPresent();
    }

    private static CampaignQueueRecord lockQueueRow(DSLContext tx, long campaignId) {
        return tx.selectFrom(CAMPAIGN_QUEUE).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId))
                .forUpdate().fetchOptional().orElseThrow(() -> new NotFound("campaign", campaignId));
    }

    private static String verb(UserAction action) {
        return action.name().toLowerCase().replace('_', '-');
    }

    private static void event(DSLContext tx, long campaignId, String status, String reason, String detail) {
        tx.insertInto(QUEUE_EVENT, QUEUE_EVENT.CAMPAIGN_ID, QUEUE_EVENT.STATUS, QUEUE_EVENT.DEFER_REASON,
                QUEUE_EVENT.DETAIL).values(campaignId, status, reason, detail).execute();
    }

    private static InvalidTransition refused(long campaignId, String status, String action) {
        return new InvalidTransition(campaignId, status, action);
    }
}
