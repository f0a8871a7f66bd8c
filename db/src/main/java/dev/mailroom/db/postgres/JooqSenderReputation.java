package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.BOUNCE_EVENT;
import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.SENDER;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static dev.mailroom.db.postgres.Times.odt;

import dev.mailroom.core.campaign.Reputation;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/**
 * A sender's reputation over a recent window, in one statement on the by-sender-and-time indexes: messages
 * its relay accepted (delivery_attempt), the distinct addresses that bounced hard or complained later
 * (bounce_event) and those that unsubscribed from its campaigns (suppression).
 */
public final class JooqSenderReputation {
    public record Counts(long sent, long bounced, long complained, long unsubscribed) {}

    private final DSLContext dsl;

    public JooqSenderReputation(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Empty when there is no such sender. */
    public Optional<Counts> since(long senderId, Instant since) {
        var from = odt(since);
        Field<Long> sender = DSL.val(senderId);
        Field<Integer> unsubscribed = DSL.field(DSL.selectCount().from(SUPPRESSION)
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(SUPPRESSION.CAMPAIGN_ID))
                .where(CAMPAIGN.SENDER_ID.eq(senderId), SUPPRESSION.REASON.eq("unsubscribe"),
                        SUPPRESSION.CREATED_AT.ge(from)));
        return dsl.select(sent(sender, from), later(sender, from, "hard"), later(sender, from, "complaint"), unsubscribed)
                .from(SENDER).where(SENDER.ID.eq(senderId))
                .fetchOptional(r -> new Counts(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    /**
     * Every sender's complaint rate since {@code since}, as {@link #since} counts it (complaining addresses over
     * messages sent; 0 while nothing was sent), in one statement: for the metrics.
     */
    public Map<Long, Double> complaintRates(Instant since) {
        var from = odt(since);
        Map<Long, Double> out = new LinkedHashMap<>();
        dsl.select(SENDER.ID, sent(SENDER.ID, from), later(SENDER.ID, from, "complaint")).from(SENDER).orderBy(SENDER.ID)
                .forEach(r -> out.put(r.value1(), Reputation.rate(r.value3(), r.value2())));
        return out;
    }

    /** Messages the sender's relay accepted since {@code from}. */
    private static Field<Integer> sent(Field<Long> sender, OffsetDateTime from) {
        return DSL.field(DSL.selectCount().from(DELIVERY_ATTEMPT)
                .where(DELIVERY_ATTEMPT.SENDER_ID.eq(sender), DELIVERY_ATTEMPT.ATTEMPTED_AT.ge(from),
                        DELIVERY_ATTEMPT.OUTCOME.eq("sent")));
    }

    /** Distinct addresses with a matched bounce event of {@code type} since {@code from}. */
    private static Field<Integer> later(Field<Long> sender, OffsetDateTime from, String type) {
        return DSL.field(DSL.select(DSL.countDistinct(BOUNCE_EVENT.EMAIL)).from(BOUNCE_EVENT)
                .where(BOUNCE_EVENT.SENDER_ID.eq(sender), BOUNCE_EVENT.CAMPAIGN_ID.isNotNull(), // matched only
                        BOUNCE_EVENT.CREATED_AT.ge(from), BOUNCE_EVENT.TYPE.eq(type)));
    }
}
