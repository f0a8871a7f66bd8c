package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.QUEUE_EVENT;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.campaign.UserAction;
import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.error.InvalidTransition;
import dev.mailroom.core.error.NotFound;
import dev.mailroom.core.recipient.RecipientStatus;
import dev.mailroom.db.generated.tables.records.CampaignQueueRecord;
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
 * the move is not allowed now and answers {@link InvalidTransition} with the current status.
 * Redis signals (wake-up, pause/cancel) are the caller's job, after commit.
 */
public final class JooqCampaignLifecycle {
    private static final Field<OffsetDateTime> NOW = DSL.currentOffsetDateTime();
    private static final Set<CampaignStatus> REQUEUE_AFTER_RETRY =
            EnumSet.of(CampaignStatus.SENT, CampaignStatus.COMPLETED_WITH_ERRORS);

    private final DSLContext dsl;

    public JooqCampaignLifecycle(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Where a move left the campaign; {@code senderId} is for the wake-up. */
    public record Moved(long campaignId, long senderId, CampaignStatus status) {}

    /** queue, pause, resume, cancel (retry-uncertain has its own method). */
    public Moved apply(long campaignId, UserAction action) {
        if (action == UserAction.RETRY_UNCERTAIN) return retryUncertain(campaignId);
        return dsl.transactionResult(cfg -> move(cfg.dsl(), campaignId, action, CampaignStatus.allowedFrom(action)));
    }

    /**
     * Uncertain recipients back to pending (explicit at-least-once, I7), counters moved in the same
     * transaction (I9). A finished campaign (sent / completed_with_errors) is queued again; an open one
     * keeps its status and picks the rows up. Refused (409) when there is no uncertain recipient, or
     * when the campaign was cancelled (a cancelled campaign never sends again).
     */
    public Moved retryUncertain(long campaignId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            CampaignQueueRecord q = tx.selectFrom(CAMPAIGN_QUEUE).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId))
                    .forUpdate().fetchOptional().orElseThrow(() -> new NotFound("campaign", campaignId));
            CampaignStatus current = CampaignStatus.fromWire(q.getStatus());
            if (current == CampaignStatus.CANCELLED) throw refused(campaignId, q.getStatus());
            int n = tx.update(CAMPAIGN_RECIPIENT).set(CAMPAIGN_RECIPIENT.STATUS, RecipientStatus.PENDING.wire())
                    .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId)
                            .and(CAMPAIGN_RECIPIENT.STATUS.eq(RecipientStatus.UNCERTAIN.wire())))
                    .execute();
            if (n == 0) throw refused(campaignId, q.getStatus());
            tx.update(CAMPAIGN).set(CAMPAIGN.UNCERTAIN, CAMPAIGN.UNCERTAIN.minus(n))
                    .set(CAMPAIGN.PENDING, CAMPAIGN.PENDING.plus(n)).where(CAMPAIGN.ID.eq(campaignId)).execute();
            if (REQUEUE_AFTER_RETRY.contains(current)) {
                return move(tx, campaignId, UserAction.RETRY_UNCERTAIN, REQUEUE_AFTER_RETRY);
            }
            event(tx, campaignId, current.wire(), null, "user:retry-uncertain " + n);
            return new Moved(campaignId, q.getSenderId(), current);
        });
    }

    private static Moved move(DSLContext tx, long campaignId, UserAction action, Set<CampaignStatus> from) {
        CampaignStatus target = action.target();
        Map<Field<?>, Object> sets = new java.util.LinkedHashMap<>();
        sets.put(CAMPAIGN_QUEUE.STATUS, target.wire());
        sets.put(CAMPAIGN_QUEUE.UPDATED_AT, NOW);
        sets.put(CAMPAIGN_QUEUE.DEFERRED_UNTIL, null);
        sets.put(CAMPAIGN_QUEUE.DEFER_REASON, null);
        switch (action) {
            case QUEUE, RETRY_UNCERTAIN -> {
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
            throw new InvalidTransition(campaignId, current, action.name().toLowerCase().replace('_', '-'));
        }
        String reason = action == UserAction.PAUSE ? DeferReason.PAUSED_BY_USER.wire() : null;
        event(tx, campaignId, target.wire(), reason, "user:" + action.name().toLowerCase().replace('_', '-'));
        return new Moved(campaignId, senderId, target);
    }

    private static void event(DSLContext tx, long campaignId, String status, String reason, String detail) {
        tx.insertInto(QUEUE_EVENT, QUEUE_EVENT.CAMPAIGN_ID, QUEUE_EVENT.STATUS, QUEUE_EVENT.DEFER_REASON,
                QUEUE_EVENT.DETAIL).values(campaignId, status, reason, detail).execute();
    }

    private static InvalidTransition refused(long campaignId, String status) {
        return new InvalidTransition(campaignId, status, "retry-uncertain");
    }
}
