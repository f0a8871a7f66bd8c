package dev.mailroom.worker;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.QUEUE_EVENT;
import static dev.mailroom.db.generated.Tables.SENDER;
import static dev.mailroom.db.generated.Tables.TEST_EMAIL;

import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.testkit.TestServices;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.jooq.DSLContext;
import org.redisson.client.codec.StringCodec;

/** Sender settings, pacing, test emails and queue reads for the quota and deferral tests. */
final class QueueFixtures {
    record QueueRow(String status, String reason, Instant until) {}

    private final DSLContext dsl;

    QueueFixtures(Fixtures fx) {
        this.dsl = fx.dsl;
    }

    void quotaZone(long senderId, String zone) {
        dsl.update(SENDER).set(SENDER.QUOTA_TIMEZONE, zone).where(SENDER.ID.eq(senderId)).execute();
    }

    /** @param days ISO weekday numbers, e.g. "1,2,3,4,5" */
    void window(long senderId, String start, String end, String zone, String days) {
        dsl.update(SENDER).set(SENDER.WINDOW_START, LocalTime.parse(start)).set(SENDER.WINDOW_END, LocalTime.parse(end))
                .set(SENDER.WINDOW_TIMEZONE, zone).set(SENDER.WINDOW_DAYS, days).where(SENDER.ID.eq(senderId)).execute();
    }

    void disable(long senderId) {
        dsl.update(SENDER).set(SENDER.ENABLED, false).where(SENDER.ID.eq(senderId)).execute();
    }

    /** The sender's hourly quota counters in Redis, summed over the hours they exist for. */
    long hourCounted(long senderId) {
        try (Redis redis = Redis.connect(new RedisConfig(TestServices.redisUrl(), TestServices.redisPrefix()), 30_000)) {
            long counted = 0;
            for (String k : redis.client().getKeys().getKeysByPattern(TestServices.redisPrefix() + "quota:{s:" + senderId + "}:h:*")) {
                counted += Long.parseLong((String) redis.client().getBucket(k, StringCodec.INSTANCE).get());
            }
            return counted;
        }
    }

    void pacing(long campaignId, int batchSize, int delayMs) {
        dsl.update(CAMPAIGN).set(CAMPAIGN.BATCH_SIZE, batchSize).set(CAMPAIGN.DELAY_MS, delayMs)
                .where(CAMPAIGN.ID.eq(campaignId)).execute();
    }

    /** Every pending recipient waits for a retry until {@code at}. */
    void retryAt(long campaignId, OffsetDateTime at) {
        dsl.update(CAMPAIGN_RECIPIENT).set(CAMPAIGN_RECIPIENT.RETRY_AT, at)
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId), CAMPAIGN_RECIPIENT.STATUS.eq("pending")).execute();
    }

    long testEmail(long senderId, String to) {
        return dsl.insertInto(TEST_EMAIL).set(TEST_EMAIL.SENDER_ID, senderId).set(TEST_EMAIL.TO_EMAIL, to)
                .set(TEST_EMAIL.SUBJECT, "Test").set(TEST_EMAIL.BODY_TEXT, "Hi")
                .returning(TEST_EMAIL.ID).fetchOne(TEST_EMAIL.ID);
    }

    void testReserve(long senderId, int perHour) {
        dsl.update(SENDER).set(SENDER.TEST_RESERVE_PER_HOUR, perHour).where(SENDER.ID.eq(senderId)).execute();
    }

    /** A campaign's test email as the web tier queues it: its content copied, rendered as {@code recipientEmail}. */
    long campaignTestEmail(long senderId, long campaignId, String recipientEmail, String to) {
        long recipient = dsl.select(CAMPAIGN_RECIPIENT.ID).from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId), CAMPAIGN_RECIPIENT.EMAIL.eq(recipientEmail))
                .fetchOne(CAMPAIGN_RECIPIENT.ID);
        var c = dsl.selectFrom(CAMPAIGN).where(CAMPAIGN.ID.eq(campaignId)).fetchOne();
        return dsl.insertInto(TEST_EMAIL).set(TEST_EMAIL.SENDER_ID, senderId).set(TEST_EMAIL.CAMPAIGN_ID, campaignId)
                .set(TEST_EMAIL.RECIPIENT_ID, recipient).set(TEST_EMAIL.TO_EMAIL, to).set(TEST_EMAIL.SUBJECT, c.getSubject())
                .set(TEST_EMAIL.HTML, c.getHtml()).set(TEST_EMAIL.BODY_TEXT, c.getBodyText())
                .returning(TEST_EMAIL.ID).fetchOne(TEST_EMAIL.ID);
    }

    QueueRow testEmailRow(long id) {
        return dsl.select(TEST_EMAIL.STATUS, TEST_EMAIL.DEFER_REASON, TEST_EMAIL.DEFERRED_UNTIL).from(TEST_EMAIL)
                .where(TEST_EMAIL.ID.eq(id)).fetchOne(r -> new QueueRow(r.value1(), r.value2(), instant(r.value3())));
    }

    QueueRow queueRow(long campaignId) {
        return dsl.select(CAMPAIGN_QUEUE.STATUS, CAMPAIGN_QUEUE.DEFER_REASON, CAMPAIGN_QUEUE.DEFERRED_UNTIL)
                .from(CAMPAIGN_QUEUE).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId))
                .fetchOne(r -> new QueueRow(r.value1(), r.value2(), instant(r.value3())));
    }

    /** The statuses the queue row went through, oldest first. */
    List<String> history(long campaignId) {
        return dsl.select(QUEUE_EVENT.STATUS).from(QUEUE_EVENT).where(QUEUE_EVENT.CAMPAIGN_ID.eq(campaignId))
                .orderBy(QUEUE_EVENT.ID).fetch(QUEUE_EVENT.STATUS);
    }

    /** Top of the next hour in {@code zone}, computed without the code under test. */
    static Instant topOfNextHour(Instant now, ZoneId zone) {
        return now.atZone(zone).truncatedTo(java.time.temporal.ChronoUnit.HOURS).plusHours(1).toInstant();
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
