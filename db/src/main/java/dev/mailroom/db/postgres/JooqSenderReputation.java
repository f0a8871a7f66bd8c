package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.BOUNCE_EVENT;
import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.SENDER;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static dev.mailroom.db.postgres.Times.odt;

import java.time.Instant;
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
        Field<Integer> sent = DSL.field(DSL.selectCount().from(DELIVERY_ATTEMPT)
                .where(DELIVERY_ATTEMPT.SENDER_ID.eq(senderId), DELIVERY_ATTEMPT.ATTEMPTED_AT.ge(from),
                        DELIVERY_ATTEMPT.OUTCOME.eq("sent")));
        Field<Integer> bounced = later(senderId, from, "hard");
        Field<Integer> complained = later(senderId, from, "complaint");
        Field<Integer> unsubscribed = DSL.field(DSL.selectCount().from(SUPPRESSION)
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(SUPPRESSION.CAMPAIGN_ID))
                .where(CAMPAIGN.SENDER_ID.eq(senderId), SUPPRESSION.REASON.eq("unsubscribe"),
                        SUPPRESSION.CREATED_AT.ge(from)));
        return dsl.select(sent, bounced, complained, unsubscribed).from(SENDER).where(SENDER.ID.eq(senderId))
                .fetchOptional(r -> new Counts(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    private static Field<Integer> later(long senderId, java.time.OffsetDateTime from, String type) {
        return DSL.field(DSL.select(DSL.countDistinct(BOUNCE_EVENT.EMAIL)).from(BOUNCE_EVENT)
                .where(BOUNCE_EVENT.SENDER_ID.eq(senderId), BOUNCE_EVENT.CAMPAIGN_ID.isNotNull(), // matched only
                        BOUNCE_EVENT.CREATED_AT.ge(from), BOUNCE_EVENT.TYPE.eq(type)));
    }
}
