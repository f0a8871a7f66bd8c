package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The poll endpoint's reads (I4: straight from campaign_queue). Each is one small query on the
 * (sender_id, status, queued_at) index or the one-processing-per-sender partial index.
 */
public final class JooqPollQueries {
    private static final String QUEUED = "queued";
    private static final String DEFERRED = "deferred";

    private final DSLContext dsl;

    public JooqPollQueries(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Queued or deferred rows of a sender; {@code earliestDeferredUntil} null when none is deferred. */
    public record Waiting(int count, boolean anyReady, Instant earliestDeferredUntil) {}

    public record HeadDeferral(String reason, Instant until) {}

    /** The sender's processing campaign, if any. */
    public Optional<CampaignRow> processing(long senderId) {
        return dsl.select(CAMPAIGN.fields()).select(CAMPAIGN_QUEUE.fields()).from(CAMPAIGN_QUEUE)
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(CAMPAIGN_QUEUE.CAMPAIGN_ID))
                .where(CAMPAIGN_QUEUE.SENDER_ID.eq(senderId).and(CAMPAIGN_QUEUE.STATUS.eq("processing")))
                .fetchOptional(JooqCampaignReads::toRow);
    }

    public Waiting waiting(long senderId) {
        var q = CAMPAIGN_QUEUE;
        var r = dsl.select(DSL.count(), DSL.count().filterWhere(q.STATUS.eq(QUEUED)),
                        DSL.min(q.DEFERRED_UNTIL).filterWhere(q.STATUS.eq(DEFERRED)))
                .from(q).where(q.SENDER_ID.eq(senderId).and(q.STATUS.in(QUEUED, DEFERRED))).fetchOne();
        return new Waiting(r.value1(), r.value2() > 0, Times.instant(r.value3()));
    }

    /** The earliest-queued deferred row: why the sender's queue is waiting and until when. */
    public Optional<HeadDeferral> headDeferral(long senderId) {
        var q = CAMPAIGN_QUEUE;
        return dsl.select(q.DEFER_REASON, q.DEFERRED_UNTIL).from(q)
                .where(q.SENDER_ID.eq(senderId).and(q.STATUS.eq(DEFERRED)))
                .orderBy(q.QUEUED_AT.asc().nullsLast(), q.ID).limit(1)
                .fetchOptional(x -> new HeadDeferral(x.value1(), Times.instant(x.value2())));
    }

    /** Queue rows per status, for the metrics gauges. */
    public Map<String, Integer> depthByStatus() {
        Map<String, Integer> out = new LinkedHashMap<>();
        dsl.select(CAMPAIGN_QUEUE.STATUS, DSL.count()).from(CAMPAIGN_QUEUE).groupBy(CAMPAIGN_QUEUE.STATUS)
                .fetch().forEach(r -> out.put(r.value1(), r.value2()));
        return out;
    }

    /** True when PostgreSQL answers. */
    public boolean ping() {
        try {
            return dsl.selectOne().fetchOne() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
