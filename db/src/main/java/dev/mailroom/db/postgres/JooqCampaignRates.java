package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;

import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * A campaign's attempts counted per time bucket, from {@code delivery_attempt}: what it really sent, however
 * long anybody watched. Read through the (sender, time) index: a sender runs one campaign at a time, so
 * the rows between the campaign's creation and now are mostly its own.
 */
public final class JooqCampaignRates {
    /** One bucket: attempts begun in [start, start + bucket), and how many of them were sent or failed. */
    public record Bucket(Instant start, int attempts, int sent, int failed) {}

    private final DSLContext dsl;

    public JooqCampaignRates(DSLContext dsl) {
        this.dsl = dsl;
    }

    public List<Bucket> buckets(long campaignId, long senderId, Instant since, int bucketSeconds) {
        Field<Long> bucket = DSL.field("floor(extract(epoch from {0}) / {1})::bigint", SQLDataType.BIGINT,
                DELIVERY_ATTEMPT.ATTEMPTED_AT, DSL.inline(bucketSeconds)); // inline: GROUP BY must see the same text
        return dsl.select(bucket, DSL.count(), DSL.count().filterWhere(DELIVERY_ATTEMPT.OUTCOME.eq("sent")),
                        DSL.count().filterWhere(DELIVERY_ATTEMPT.OUTCOME.eq("failed")))
                .from(DELIVERY_ATTEMPT)
                .where(DELIVERY_ATTEMPT.SENDER_ID.eq(senderId))
                .and(DELIVERY_ATTEMPT.ATTEMPTED_AT.ge(Times.odt(since)))
                .and(DELIVERY_ATTEMPT.CAMPAIGN_ID.eq(campaignId))
                .groupBy(bucket).orderBy(bucket)
                .fetch(r -> new Bucket(Instant.ofEpochSecond(r.value1() * bucketSeconds), r.value2(), r.value3(), r.value4()));
    }
}
