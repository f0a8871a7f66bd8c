package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.CONNECTION_TEST;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.TEST_EMAIL;
import static dev.mailroom.db.postgres.Times.odt;
import static org.jooq.impl.DSL.val;

import dev.mailroom.core.campaign.BatchContext;
import dev.mailroom.core.campaign.CampaignContent;
import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.campaign.Controls;
import dev.mailroom.core.campaign.Counts;
import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.delivery.RecipientOutcome;
import dev.mailroom.core.port.CampaignStore;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.recipient.Recipient;
import dev.mailroom.core.recipient.RecipientStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.DSLContext;

/** The worker's campaign writes: claims, batches, outcomes, the final status. */
public final class JooqCampaignStore implements CampaignStore {
    private final DSLContext dsl;
    private final QueueEvents queueEvents = new QueueEvents();

    public JooqCampaignStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public List<Long> sendersWithWork(Instant now) {
        var queue = dsl.selectDistinct(CAMPAIGN_QUEUE.SENDER_ID).from(CAMPAIGN_QUEUE)
                .where(CAMPAIGN_QUEUE.STATUS.in("queued", "processing")
                        .or(CAMPAIGN_QUEUE.STATUS.eq("deferred").and(CAMPAIGN_QUEUE.DEFERRED_UNTIL.le(odt(now)))));
        var tests = dsl.selectDistinct(TEST_EMAIL.SENDER_ID).from(TEST_EMAIL)
                .where(TEST_EMAIL.STATUS.in("queued", "sending")
                        .or(TEST_EMAIL.STATUS.eq("deferred").and(TEST_EMAIL.DEFERRED_UNTIL.le(odt(now)))));
        var connectionTests = dsl.selectDistinct(CONNECTION_TEST.SENDER_ID).from(CONNECTION_TEST)
                .where(CONNECTION_TEST.STATUS.eq("queued"));
        return queue.union(tests).union(connectionTests).fetch(0, Long.class);
    }

    @Override
    public Optional<Claim> claimNext(long senderId, String workerId, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            // We hold the sender's lock, so a row still processing was left by a worker that is gone.
            var taken = tx.update(CAMPAIGN_QUEUE)
                    .set(CAMPAIGN_QUEUE.FENCE, CAMPAIGN_QUEUE.FENCE.plus(1))
                    .set(CAMPAIGN_QUEUE.CLAIMED_BY, workerId).set(CAMPAIGN_QUEUE.CLAIMED_AT, odt(now))
                    .set(CAMPAIGN_QUEUE.UPDATED_AT, odt(now))
                    .where(CAMPAIGN_QUEUE.SENDER_ID.eq(senderId), CAMPAIGN_QUEUE.STATUS.eq("processing"))
                    .returning(CAMPAIGN_QUEUE.CAMPAIGN_ID, CAMPAIGN_QUEUE.FENCE).fetchOptional();
            String detail = "taken over by " + workerId;
            if (taken.isEmpty()) {
                var ready = tx.select(CAMPAIGN_QUEUE.ID).from(CAMPAIGN_QUEUE)
                        .where(CAMPAIGN_QUEUE.SENDER_ID.eq(senderId))
                        .and(CAMPAIGN_QUEUE.STATUS.eq("queued")
                                .or(CAMPAIGN_QUEUE.STATUS.eq("deferred").and(CAMPAIGN_QUEUE.DEFERRED_UNTIL.le(odt(now)))))
                        .orderBy(CAMPAIGN_QUEUE.QUEUED_AT.asc().nullsLast(), CAMPAIGN_QUEUE.ID)
                        .limit(1).forUpdate().skipLocked().fetchOptional(CAMPAIGN_QUEUE.ID);
                if (ready.isEmpty()) return Optional.<Claim>empty();
                taken = tx.update(CAMPAIGN_QUEUE)
                        .set(CAMPAIGN_QUEUE.STATUS, "processing")
                        .set(CAMPAIGN_QUEUE.FENCE, CAMPAIGN_QUEUE.FENCE.plus(1))
                        .set(CAMPAIGN_QUEUE.CLAIMED_BY, workerId).set(CAMPAIGN_QUEUE.CLAIMED_AT, odt(now))
                        .set(CAMPAIGN_QUEUE.STARTED_AT, org.jooq.impl.DSL.coalesce(CAMPAIGN_QUEUE.STARTED_AT, val(odt(now))))
                        .setNull(CAMPAIGN_QUEUE.DEFER_REASON).setNull(CAMPAIGN_QUEUE.DEFERRED_UNTIL)
                        .set(CAMPAIGN_QUEUE.UPDATED_AT, odt(now))
                        .where(CAMPAIGN_QUEUE.ID.eq(ready.get()))
                        .returning(CAMPAIGN_QUEUE.CAMPAIGN_ID, CAMPAIGN_QUEUE.FENCE).fetchOptional();
                detail = "claimed by " + workerId;
            }
            var row = taken.orElseThrow();
            Claim claim = new Claim(row.getCampaignId(), senderId, row.getFence(), workerId);
            int uncertain = markOlderClaimsSendingUncertain(tx, claim);
            queueEvents.append(tx, claim.campaignId(), "processing",
                    uncertain == 0 ? detail : detail + "; " + uncertain + " recipients left sending became uncertain");
            return Optional.of(claim);
        });
    }

    /** I7: rows a previous claim left {@code sending} may have been delivered; they are never re-sent by themselves. */
    private int markOlderClaimsSendingUncertain(DSLContext tx, Claim claim) {
        List<Long> ids = tx.update(CAMPAIGN_RECIPIENT)
                .set(CAMPAIGN_RECIPIENT.STATUS, "uncertain")
                .set(CAMPAIGN_RECIPIENT.LAST_ERROR, "the worker sending it stopped before recording the result")
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(claim.campaignId()), CAMPAIGN_RECIPIENT.STATUS.eq("sending"))
                .returning(CAMPAIGN_RECIPIENT.ID).fetch(CAMPAIGN_RECIPIENT.ID);
        if (ids.isEmpty()) return 0;
        tx.update(DELIVERY_ATTEMPT).set(DELIVERY_ATTEMPT.OUTCOME, "uncertain")
                .where(DELIVERY_ATTEMPT.RECIPIENT_ID.in(ids), DELIVERY_ATTEMPT.OUTCOME.eq("sending")).execute();
        new CounterDelta().move(RecipientStatus.SENDING, RecipientStatus.UNCERTAIN, ids.size()).apply(tx, claim.campaignId());
        return ids.size();
    }

    /** The sender row's xmin is its version: every update of the row writes a new one. */
    private static final String BATCH_CONTEXT = """
            select q.status, c.batch_size, c.delay_ms, c.cooldown_seconds, c.subject, c.html, c.body_text,
                   s.xmin::text::bigint
              from campaign_queue q join campaign c on c.id = q.campaign_id join sender s on s.id = q.sender_id
             where q.campaign_id = ? and q.fence = ?""";

    /**
     * The page by the (campaign_id, status, id) index first, then the suppression list for its few
     * addresses only, so the plan never depends on statistics of the whole pending set. Domains whose
     * circuit is open come as one array bind (empty: none), so the text never changes.
     */
    private static final String NEXT_PENDING = """
            select r.id, r.email, r.name, r.vars, r.attempts, s.email is not null as suppressed
              from (select id, email, name, vars, attempts from campaign_recipient
                     where campaign_id = ? and status = 'pending' and (retry_at is null or retry_at <= ?)
                       and split_part(email, '@', 2) <> all (?::text[])
                     order by id limit ?) r
              left join suppression s on s.email = r.email
             order by r.id""";

    private record Pending(Recipient recipient, boolean suppressed) {}

    @Override
    public Optional<BatchContext> batchContext(Claim claim) {
        return FixedSql.first(dsl, BATCH_CONTEXT, ps -> {
            ps.setLong(1, claim.campaignId());
            ps.setLong(2, claim.fence());
        }, rs -> new BatchContext(CampaignStatus.fromWire(rs.getString(1)),
                new Controls(rs.getInt(2), rs.getInt(3), rs.getInt(4)),
                new CampaignContent(rs.getString(5), rs.getString(6), rs.getString(7)), rs.getLong(8)));
    }

    @Override
    public List<Recipient> nextPending(Claim claim, int limit, Instant now, Set<String> skipDomains) {
        String[] skipped = skipDomains.toArray(String[]::new);
        while (true) {
            List<Pending> page = FixedSql.list(dsl, NEXT_PENDING, ps -> {
                ps.setLong(1, claim.campaignId());
                ps.setObject(2, odt(now));
                FixedSql.texts(ps, 3, skipped);
                ps.setInt(4, limit);
            }, rs -> new Pending(new Recipient(rs.getLong(1), rs.getString(2), rs.getString(3),
                    RecipientVars.parse(rs.getString(4)), rs.getInt(5)), rs.getBoolean(6)));
            if (page.isEmpty()) return List.of();
            List<Long> suppressed = page.stream().filter(Pending::suppressed).map(p -> p.recipient().id()).toList();
            if (!suppressed.isEmpty()) suppress(claim, suppressed);
            List<Recipient> due = page.stream().filter(p -> !p.suppressed()).map(Pending::recipient).toList();
            if (!due.isEmpty() || suppressed.isEmpty()) return due;
        }
    }

    /** I13: a suppressed address is marked, never sent and never reserved for. */
    private void suppress(Claim claim, List<Long> ids) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            Fence.requireHeld(tx, claim);
            int n = tx.update(CAMPAIGN_RECIPIENT).set(CAMPAIGN_RECIPIENT.STATUS, "suppressed")
                    .set(CAMPAIGN_RECIPIENT.LAST_ERROR, "address is on the suppression list")
                    .where(CAMPAIGN_RECIPIENT.ID.in(ids), CAMPAIGN_RECIPIENT.STATUS.eq("pending")).execute();
            new CounterDelta().move(RecipientStatus.PENDING, RecipientStatus.SUPPRESSED, n).apply(tx, claim.campaignId());
        });
    }

    /** The earliest retry among pending recipients outside {@code skipDomains} (the same skip as the next page). */
    private static final String NEXT_RETRY_AT = """
            select min(retry_at) from campaign_recipient
             where campaign_id = ? and status = 'pending' and split_part(email, '@', 2) <> all (?::text[])""";

    @Override
    public Optional<Instant> nextRetryAt(Claim claim, Set<String> skipDomains) {
        String[] skipped = skipDomains.toArray(String[]::new);
        return FixedSql.first(dsl, NEXT_RETRY_AT, ps -> {
            ps.setLong(1, claim.campaignId());
            FixedSql.texts(ps, 2, skipped);
        }, rs -> rs.getObject(1, java.time.OffsetDateTime.class)).map(Times::instant);
    }

    @Override
    public Set<Long> markSending(Claim claim, List<OutgoingMessage> messages, Instant now) {
        if (messages.isEmpty()) return Set.of();
        return dsl.connectionResult(c -> MarkSendingSql.run(c, claim, messages, now));
    }

    @Override
    public void recordOutcomes(Claim claim, List<RecipientOutcome> outcomes, Instant now) {
        if (outcomes.isEmpty()) return;
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            Fence.requireHeld(tx, claim);
            new OutcomeWriter(tx, claim, now).write(outcomes);
        });
    }

    @Override
    public Optional<CampaignStatus> finishIfDone(Claim claim, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            if (!Fence.holdsProcessingExclusively(tx, claim)) return Optional.<CampaignStatus>empty();
            Counts counts = tx.select(CAMPAIGN.PENDING, CAMPAIGN.SENDING, CAMPAIGN.SENT, CAMPAIGN.FAILED,
                            CAMPAIGN.UNCERTAIN, CAMPAIGN.SUPPRESSED).from(CAMPAIGN).where(CAMPAIGN.ID.eq(claim.campaignId()))
                    .fetchOne(r -> new Counts(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
            if (counts.pending() > 0 || counts.sending() > 0) return Optional.<CampaignStatus>empty();
            return Optional.of(FinalStatus.write(tx, claim.campaignId(), counts, CAMPAIGN_QUEUE.FENCE.eq(claim.fence()), now));
        });
    }

    @Override
    public void release(Claim claim, Instant now) {
        dsl.transaction(cfg -> {
            DSLContext tx = cfg.dsl();
            int requeued = tx.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "queued")
                    .setNull(CAMPAIGN_QUEUE.CLAIMED_BY).setNull(CAMPAIGN_QUEUE.CLAIMED_AT)
                    .set(CAMPAIGN_QUEUE.UPDATED_AT, odt(now))
                    .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(claim.campaignId()), CAMPAIGN_QUEUE.FENCE.eq(claim.fence()),
                            CAMPAIGN_QUEUE.STATUS.eq("processing"))
                    .execute();
            if (requeued > 0) {
                queueEvents.append(tx, claim.campaignId(), "queued", "released by " + claim.workerId());
            } else {
                tx.update(CAMPAIGN_QUEUE).setNull(CAMPAIGN_QUEUE.CLAIMED_BY).setNull(CAMPAIGN_QUEUE.CLAIMED_AT)
                        .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(claim.campaignId()), CAMPAIGN_QUEUE.FENCE.eq(claim.fence()))
                        .execute();
            }
        });
    }
}
