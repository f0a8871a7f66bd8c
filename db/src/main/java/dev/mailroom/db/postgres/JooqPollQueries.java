package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;

import dev.mailroom.core.campaign.Counts;
import dev.mailroom.core.campaign.Reputation;
import dev.mailroom.core.quota.SenderQuota;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The poll endpoint's reads (I4: straight from campaign_queue). Each is one small query on the
 * (sender_id, status, queued_at) index or the one-processing-per-sender partial index; none reads a
 * campaign's html or text.
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

    /** The processing campaign as the poll shows it: counters and reputation, never the message body. */
    public record Active(long id, String name, String status, Counts counts, Reputation reputation,
                         Instant startedAt, Instant lastBatchAt) {}

    /**
     * Everything one poll shows of a sender but the quota usage (which lives in Redis). {@code active} is
     * null when nothing is processing, {@code head} when no row is deferred.
     */
    public record SenderPoll(long senderId, boolean enabled, SenderQuota quota, Active active, Waiting waiting,
                             HeadDeferral head) {}

    /*
     * One statement, fixed text (prepared once per connection): the sender row, its processing campaign
     * (partial unique index), the waiting rows' count and earliest deferral, and the head deferred row
     * (both on campaign_queue_ready). With no sender id it reads the first two senders, so the caller can
     * tell "exactly one" from "several". Two fixed texts rather than "? is null or id = ?", which a generic
     * plan could not answer from the primary key.
     */
    private static final String SENDER_POLL = """
            select s.id, s.enabled, s.hourly_limit, s.monthly_limit, s.quota_timezone, s.quota_remaining,
                   s.quota_synced_at,
                   p.id, p.name, p.status, p.pending, p.sending, p.sent, p.failed, p.uncertain, p.suppressed,
                   p.bounced, p.complained, p.unsubscribed, p.started_at, p.last_batch_at,
                   w.waiting, w.ready, w.earliest, h.defer_reason, h.deferred_until
            from (select id, enabled, hourly_limit, monthly_limit, quota_timezone, quota_remaining, quota_synced_at
                  from sender %s order by id limit 2) s
            left join lateral (
                select c.id, c.name, q.status, c.pending, c.sending, c.sent, c.failed, c.uncertain, c.suppressed,
                       c.bounced, c.complained, c.unsubscribed, q.started_at, q.last_batch_at
                from campaign_queue q join campaign c on c.id = q.campaign_id
                where q.sender_id = s.id and q.status = 'processing') p on true
            cross join lateral (
                select count(*) as waiting, count(*) filter (where q.status = 'queued') as ready,
                       min(q.deferred_until) filter (where q.status = 'deferred') as earliest
                from campaign_queue q where q.sender_id = s.id and q.status in ('queued', 'deferred')) w
            left join lateral (
                select q.defer_reason, q.deferred_until from campaign_queue q
                where q.sender_id = s.id and q.status = 'deferred'
                order by q.queued_at asc nulls last, q.id limit 1) h on true
            order by s.id""";
    private static final String ONE_SENDER_POLL = SENDER_POLL.formatted("where id = ?");
    private static final String FIRST_SENDERS_POLL = SENDER_POLL.formatted("");

    /**
     * What the poll shows of {@code senderId} (at most one element), or with a null id of the first two
     * senders: one round trip, one indexed statement.
     */
    public List<SenderPoll> senderPolls(Long senderId) {
        var query = senderId == null ? dsl.resultQuery(FIRST_SENDERS_POLL) : dsl.resultQuery(ONE_SENDER_POLL, senderId);
        return query.fetch(JooqPollQueries::senderPoll);
    }

    private static SenderPoll senderPoll(Record r) {
        long id = r.get(0, Long.class);
        SenderQuota quota = new SenderQuota(id, r.get(2, Integer.class), r.get(3, Integer.class),
                ZoneId.of(r.get(4, String.class)), r.get(5, Integer.class), instant(r, 6));
        Active active = r.get(7) == null ? null : new Active(r.get(7, Long.class), r.get(8, String.class),
                r.get(9, String.class), new Counts(r.get(10, Integer.class), r.get(11, Integer.class),
                r.get(12, Integer.class), r.get(13, Integer.class), r.get(14, Integer.class), r.get(15, Integer.class)),
                new Reputation(r.get(16, Integer.class), r.get(17, Integer.class), r.get(18, Integer.class)),
                instant(r, 19), instant(r, 20));
        Waiting waiting = new Waiting(r.get(21, Integer.class), r.get(22, Integer.class) > 0, instant(r, 23));
        HeadDeferral head = r.get(24) == null && r.get(25) == null ? null
                : new HeadDeferral(r.get(24, String.class), instant(r, 25));
        return new SenderPoll(id, r.get(1, Boolean.class), quota, active, waiting, head);
    }

    private static Instant instant(Record r, int index) {
        return Times.instant(r.get(index, OffsetDateTime.class));
    }

    /** A processing campaign and when it last moved: its last batch, or its claim when no batch began since. */
    public record Processing(long senderId, long campaignId, Instant lastProgressAt) {}

    /** Every processing campaign (at most one per sender: the partial unique index answers it), for the metrics. */
    public List<Processing> processing() {
        return dsl.select(CAMPAIGN_QUEUE.SENDER_ID, CAMPAIGN_QUEUE.CAMPAIGN_ID,
                        // PostgreSQL's greatest() skips nulls: a claim newer than the last batch (after a deferral) counts
                        DSL.coalesce(DSL.greatest(CAMPAIGN_QUEUE.LAST_BATCH_AT, CAMPAIGN_QUEUE.CLAIMED_AT),
                                CAMPAIGN_QUEUE.STARTED_AT, CAMPAIGN_QUEUE.UPDATED_AT))
                .from(CAMPAIGN_QUEUE).where(CAMPAIGN_QUEUE.STATUS.eq("processing")).orderBy(CAMPAIGN_QUEUE.SENDER_ID)
                .fetch(r -> new Processing(r.value1(), r.value2(), Times.instant(r.value3())));
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
