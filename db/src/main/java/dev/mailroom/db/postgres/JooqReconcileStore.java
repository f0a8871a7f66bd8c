package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.postgres.Times.odt;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.campaign.Counts;
import dev.mailroom.core.port.ReconcileStore;
import dev.mailroom.core.recipient.RecipientStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record6;
import org.jooq.Select;
import org.jooq.impl.DSL;

/** The reconciler's reads and repairs; each repair locks its row and re-checks before it writes. */
public final class JooqReconcileStore implements ReconcileStore {
    private static final List<String> FINAL = CampaignStatus.FINAL.stream().map(CampaignStatus::wire).toList();
    private final DSLContext dsl;
    private final QueueEvents queueEvents = new QueueEvents();

    public JooqReconcileStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public List<Processing> processing() {
        Field<Integer> open = DSL.field(DSL.selectCount().from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(CAMPAIGN_QUEUE.CAMPAIGN_ID),
                        CAMPAIGN_RECIPIENT.STATUS.in("pending", "sending")));
        return dsl.select(CAMPAIGN_QUEUE.CAMPAIGN_ID, CAMPAIGN_QUEUE.SENDER_ID, open).from(CAMPAIGN_QUEUE)
                .where(CAMPAIGN_QUEUE.STATUS.eq("processing")).orderBy(CAMPAIGN_QUEUE.CAMPAIGN_ID)
                .fetch(r -> new Processing(r.value1(), r.value2(), r.value3()));
    }

    @Override
    public Optional<CampaignStatus> finishAbandoned(long campaignId, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            if (!"processing".equals(lockQueueRow(tx, campaignId))) return Optional.<CampaignStatus>empty();
            Counts actual = recountIn(tx, campaignId).actual();
            if (actual.pending() > 0 || actual.sending() > 0) return Optional.<CampaignStatus>empty();
            // A worker that claimed it meanwhile loses its claim rather than write after the final status (I10).
            tx.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.FENCE, CAMPAIGN_QUEUE.FENCE.plus(1))
                    .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId)).execute();
            return Optional.of(FinalStatus.write(tx, campaignId, actual, CAMPAIGN_QUEUE.STATUS.eq("processing"), now));
        });
    }

    @Override
    public List<Drift> drifted(Instant since) {
        var actual = DSL.lateral(countsOf(CAMPAIGN.ID).asTable("actual"));
        return dsl.select(CAMPAIGN.ID, CAMPAIGN.PENDING, CAMPAIGN.SENDING, CAMPAIGN.SENT, CAMPAIGN.FAILED,
                        CAMPAIGN.UNCERTAIN, CAMPAIGN.SUPPRESSED)
                .select(actual.fields())
                .from(CAMPAIGN).join(CAMPAIGN_QUEUE).on(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(CAMPAIGN.ID)).crossJoin(actual)
                .where(CAMPAIGN_QUEUE.STATUS.notIn(FINAL).or(CAMPAIGN_QUEUE.FINISHED_AT.ge(odt(since))))
                .orderBy(CAMPAIGN.ID)
                .fetch(r -> new Drift(r.get(CAMPAIGN.ID), new Counts(r.get(CAMPAIGN.PENDING), r.get(CAMPAIGN.SENDING),
                        r.get(CAMPAIGN.SENT), r.get(CAMPAIGN.FAILED), r.get(CAMPAIGN.UNCERTAIN), r.get(CAMPAIGN.SUPPRESSED)),
                        new Counts(r.get(7, Integer.class), r.get(8, Integer.class), r.get(9, Integer.class),
                                r.get(10, Integer.class), r.get(11, Integer.class), r.get(12, Integer.class))))
                .stream().filter(d -> !d.stored().equals(d.actual())).toList();
    }

    @Override
    public Optional<Drift> recount(long campaignId) {
        return dsl.transactionResult(cfg -> {
            Drift d = recountIn(cfg.dsl(), campaignId);
            return d.stored().equals(d.actual()) ? Optional.<Drift>empty() : Optional.of(d);
        });
    }

    @Override
    public List<Orphaned> orphanedSending() {
        return dsl.select(CAMPAIGN_QUEUE.CAMPAIGN_ID, CAMPAIGN_QUEUE.SENDER_ID, DSL.count())
                .from(CAMPAIGN_QUEUE).join(CAMPAIGN_RECIPIENT).on(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(CAMPAIGN_QUEUE.CAMPAIGN_ID))
                .where(CAMPAIGN_QUEUE.STATUS.ne("processing"), CAMPAIGN_RECIPIENT.STATUS.eq("sending"))
                .groupBy(CAMPAIGN_QUEUE.CAMPAIGN_ID, CAMPAIGN_QUEUE.SENDER_ID).orderBy(CAMPAIGN_QUEUE.CAMPAIGN_ID)
                .fetch(r -> new Orphaned(r.value1(), r.value2(), r.value3()));
    }

    @Override
    public int markOrphanedUncertain(long campaignId, Instant now, Instant claimedSendingBefore) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            String status = lockQueueRow(tx, campaignId);
            if (status == null || status.equals("processing")) return 0;
            boolean claimed = tx.fetchExists(CAMPAIGN_QUEUE, CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId), CAMPAIGN_QUEUE.CLAIMED_BY.isNotNull());
            List<Long> ids = tx.update(CAMPAIGN_RECIPIENT).set(CAMPAIGN_RECIPIENT.STATUS, "uncertain")
                    .set(CAMPAIGN_RECIPIENT.LAST_ERROR, "the worker sending it stopped before recording the result")
                    .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId), CAMPAIGN_RECIPIENT.STATUS.eq("sending"))
                    .and(claimed ? CAMPAIGN_RECIPIENT.ATTEMPTED_AT.lt(odt(claimedSendingBefore)) : DSL.noCondition())
                    .returning(CAMPAIGN_RECIPIENT.ID).fetch(CAMPAIGN_RECIPIENT.ID);
            if (ids.isEmpty()) return 0;
            tx.update(DELIVERY_ATTEMPT).set(DELIVERY_ATTEMPT.OUTCOME, "uncertain")
                    .where(DELIVERY_ATTEMPT.RECIPIENT_ID.in(ids), DELIVERY_ATTEMPT.OUTCOME.eq("sending")).execute();
            new CounterDelta().move(RecipientStatus.SENDING, RecipientStatus.UNCERTAIN, ids.size()).apply(tx, campaignId);
            // Whoever still holds a claim from before can no longer record over this (I10).
            tx.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.FENCE, CAMPAIGN_QUEUE.FENCE.plus(1))
                    .set(CAMPAIGN_QUEUE.UPDATED_AT, odt(now)).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId)).execute();
            queueEvents.append(tx, campaignId, status, "reconcile: " + ids.size()
                    + " recipients left sending by a worker that stopped became uncertain");
            return ids.size();
        });
    }

    private static String lockQueueRow(DSLContext tx, long campaignId) {
        return tx.select(CAMPAIGN_QUEUE.STATUS).from(CAMPAIGN_QUEUE).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId))
                .forUpdate().fetchOne(CAMPAIGN_QUEUE.STATUS);
    }

    /**
     * Locks the campaign row first: a worker's transaction moves recipients and then updates this row, so
     * it either committed before the recount (and is counted) or waits and applies its delta after it.
     */
    private static Drift recountIn(DSLContext tx, long campaignId) {
        Counts stored = tx.select(CAMPAIGN.PENDING, CAMPAIGN.SENDING, CAMPAIGN.SENT, CAMPAIGN.FAILED,
                        CAMPAIGN.UNCERTAIN, CAMPAIGN.SUPPRESSED).from(CAMPAIGN).where(CAMPAIGN.ID.eq(campaignId))
                .forUpdate().fetchOne(r -> new Counts(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
        Counts actual = tx.fetchOne(countsOf(DSL.val(campaignId)))
                .map(r -> new Counts(r.get(0, Integer.class), r.get(1, Integer.class), r.get(2, Integer.class),
                        r.get(3, Integer.class), r.get(4, Integer.class), r.get(5, Integer.class)));
        if (!actual.equals(stored)) {
            tx.update(CAMPAIGN).set(CAMPAIGN.PENDING, actual.pending()).set(CAMPAIGN.SENDING, actual.sending())
                    .set(CAMPAIGN.SENT, actual.sent()).set(CAMPAIGN.FAILED, actual.failed())
                    .set(CAMPAIGN.UNCERTAIN, actual.uncertain()).set(CAMPAIGN.SUPPRESSED, actual.suppressed())
                    .set(CAMPAIGN.TOTAL, actual.total()).where(CAMPAIGN.ID.eq(campaignId)).execute();
        }
        return new Drift(campaignId, stored, actual);
    }

    /** One row: a campaign's recipients by status, in {@link Counts} order. */
    private static Select<Record6<Integer, Integer, Integer, Integer, Integer, Integer>> countsOf(Field<Long> campaignId) {
        return DSL.select(n(RecipientStatus.PENDING), n(RecipientStatus.SENDING), n(RecipientStatus.SENT),
                        n(RecipientStatus.FAILED), n(RecipientStatus.UNCERTAIN), n(RecipientStatus.SUPPRESSED))
                .from(CAMPAIGN_RECIPIENT).where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId));
    }

    private static Field<Integer> n(RecipientStatus s) {
        return DSL.count().filterWhere(CAMPAIGN_RECIPIENT.STATUS.eq(s.wire())).as("n_" + s.wire());
    }
}
