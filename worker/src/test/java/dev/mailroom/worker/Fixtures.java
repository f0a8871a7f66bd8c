package dev.mailroom.worker;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.SENDER;

import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.sender.SmtpSettings;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.TestServices;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/** Rows the worker tests start from, written the way the web tier writes them. */
public final class Fixtures {
    public final DSLContext dsl = DSL.using(PostgresExtension.dataSource(), SQLDialect.POSTGRES);
    /** Seals as the web tier does, under the ring the test worker runs with (I19). */
    public static final SecretSealer SEALER = new SecretSealer(KeyRing.parse(TestServices.SECRET_KEY));

    /** An SMTP password as the web tier stores it. */
    public static String sealedPassword(String password) {
        return SEALER.seal(password, SmtpSettings.PASSWORD_SEAL_PURPOSE);
    }

    public long sender(int smtpPort, int hourly, int monthly) {
        return dsl.insertInto(SENDER).set(SENDER.NAME, "s" + System.nanoTime()).set(SENDER.FROM_EMAIL, "news@example.com")
                .set(SENDER.FROM_NAME, "Example").set(SENDER.SMTP_HOST, "127.0.0.1").set(SENDER.SMTP_PORT, smtpPort)
                .set(SENDER.HOURLY_LIMIT, hourly).set(SENDER.MONTHLY_LIMIT, monthly)
                .returning(SENDER.ID).fetchOne(SENDER.ID);
    }

    /** A queued campaign with recipients r0..r(n-1)@domain. */
    public long queuedCampaign(long senderId, int n, String domain) {
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < n; i++) emails.add("r" + i + "@" + domain);
        return queuedCampaign(senderId, emails);
    }

    public long queuedCampaign(long senderId, List<String> emails) {
        long id = dsl.insertInto(CAMPAIGN).set(CAMPAIGN.NAME, "c").set(CAMPAIGN.SENDER_ID, senderId)
                .set(CAMPAIGN.SUBJECT, "Hello {{name}}").set(CAMPAIGN.BODY_TEXT, "Hi {{name}}, plan {{vars.plan}}")
                .set(CAMPAIGN.TOTAL, emails.size()).set(CAMPAIGN.PENDING, emails.size())
                .returning(CAMPAIGN.ID).fetchOne(CAMPAIGN.ID);
        var insert = dsl.insertInto(CAMPAIGN_RECIPIENT, CAMPAIGN_RECIPIENT.CAMPAIGN_ID, CAMPAIGN_RECIPIENT.EMAIL,
                CAMPAIGN_RECIPIENT.NAME, CAMPAIGN_RECIPIENT.VARS);
        for (String e : emails) insert = insert.values(id, e, "N" + e.hashCode(), "{\"plan\":\"pro\"}");
        insert.execute();
        dsl.insertInto(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.CAMPAIGN_ID, id).set(CAMPAIGN_QUEUE.SENDER_ID, senderId)
                .set(CAMPAIGN_QUEUE.STATUS, "queued").set(CAMPAIGN_QUEUE.QUEUED_AT, OffsetDateTime.now()).execute();
        return id;
    }

    public String status(long campaignId) {
        return dsl.select(CAMPAIGN_QUEUE.STATUS).from(CAMPAIGN_QUEUE).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId))
                .fetchOne(CAMPAIGN_QUEUE.STATUS);
    }

    public int count(long campaignId, String status) {
        return dsl.fetchCount(CAMPAIGN_RECIPIENT, CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId)
                .and(CAMPAIGN_RECIPIENT.STATUS.eq(status)));
    }

    /** Campaign counters as stored: pending, sending, sent, failed, uncertain, suppressed, total. */
    public int[] counters(long campaignId) {
        var r = dsl.selectFrom(CAMPAIGN).where(CAMPAIGN.ID.eq(campaignId)).fetchOne();
        return new int[] {r.getPending(), r.getSending(), r.getSent(), r.getFailed(), r.getUncertain(),
                r.getSuppressed(), r.getTotal()};
    }

    /** Counters recomputed from the recipient rows, in the same order. */
    public int[] recount(long campaignId) {
        String[] s = {"pending", "sending", "sent", "failed", "uncertain", "suppressed"};
        int[] out = new int[7];
        for (int i = 0; i < s.length; i++) {
            out[i] = count(campaignId, s[i]);
            out[6] += out[i];
        }
        return out;
    }
}
