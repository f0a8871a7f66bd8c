package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.SENDER;
import static dev.mailroom.db.generated.Tables.TEST_EMAIL;

import dev.mailroom.testkit.PostgresExtension;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/** Rows the bounce store tests start from: senders, and messages of theirs as the worker leaves them once sent. */
final class BounceRows {
    final DSLContext dsl = DSL.using(PostgresExtension.dataSource(), SQLDialect.POSTGRES);

    long sender() {
        return dsl.insertInto(SENDER).set(SENDER.NAME, "s" + System.nanoTime()).set(SENDER.FROM_EMAIL, "news@example.com")
                .set(SENDER.FROM_NAME, "Example").set(SENDER.SMTP_HOST, "127.0.0.1").set(SENDER.SMTP_PORT, 2525)
                .set(SENDER.HOURLY_LIMIT, 100).set(SENDER.MONTHLY_LIMIT, 1000).returning(SENDER.ID).fetchOne(SENDER.ID);
    }

    long campaign(long senderId) {
        return dsl.insertInto(CAMPAIGN).set(CAMPAIGN.NAME, "c").set(CAMPAIGN.SENDER_ID, senderId).set(CAMPAIGN.SUBJECT, "Hi")
                .set(CAMPAIGN.BODY_TEXT, "Hi").set(CAMPAIGN.TOTAL, 1).set(CAMPAIGN.SENT, 1)
                .returning(CAMPAIGN.ID).fetchOne(CAMPAIGN.ID);
    }

    /** A sent recipient with the Message-ID the worker gives it. */
    long sentRecipient(long campaignId, String email) {
        long id = dsl.insertInto(CAMPAIGN_RECIPIENT).set(CAMPAIGN_RECIPIENT.CAMPAIGN_ID, campaignId)
                .set(CAMPAIGN_RECIPIENT.EMAIL, email).set(CAMPAIGN_RECIPIENT.STATUS, "sent")
                .returning(CAMPAIGN_RECIPIENT.ID).fetchOne(CAMPAIGN_RECIPIENT.ID);
        dsl.update(CAMPAIGN_RECIPIENT).set(CAMPAIGN_RECIPIENT.MESSAGE_ID, messageId(campaignId, id))
                .where(CAMPAIGN_RECIPIENT.ID.eq(id)).execute();
        return id;
    }

    long sentTestEmail(long senderId, String to) {
        long id = dsl.insertInto(TEST_EMAIL).set(TEST_EMAIL.SENDER_ID, senderId).set(TEST_EMAIL.TO_EMAIL, to)
                .set(TEST_EMAIL.SUBJECT, "Test").set(TEST_EMAIL.STATUS, "sent").returning(TEST_EMAIL.ID).fetchOne(TEST_EMAIL.ID);
        dsl.update(TEST_EMAIL).set(TEST_EMAIL.MESSAGE_ID, "<mr.test." + id + "@example.com>").where(TEST_EMAIL.ID.eq(id)).execute();
        return id;
    }

    static String messageId(long campaignId, long recipientId) {
        return "<mr." + campaignId + "." + recipientId + "@example.com>";
    }

    int bounced(long campaignId) {
        return dsl.select(CAMPAIGN.BOUNCED).from(CAMPAIGN).where(CAMPAIGN.ID.eq(campaignId)).fetchSingle().value1();
    }
}
