package dev.mailroom.worker;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.SENDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;

/** Reads and small writes on the campaign tables that the invariant tests share. */
final class CampaignRows {
    private static final Set<String> FINAL = Set.of("sent", "completed_with_errors", "cancelled");

    private final Fixtures fx;
    private final DSLContext dsl;

    CampaignRows(Fixtures fx) {
        this.fx = fx;
        this.dsl = fx.dsl;
    }

    void batchSize(long campaignId, int size) {
        dsl.update(CAMPAIGN).set(CAMPAIGN.BATCH_SIZE, size).where(CAMPAIGN.ID.eq(campaignId)).execute();
    }

    /** The password is stored sealed, as the web tier stores it (I19). */
    void smtpLogin(long senderId, String username, String password) {
        dsl.update(SENDER).set(SENDER.SMTP_USERNAME, username).set(SENDER.SMTP_PASSWORD, Fixtures.sealedPassword(password))
                .where(SENDER.ID.eq(senderId)).execute();
    }

    /** Waits for a final status and returns it. */
    String awaitFinal(long campaignId, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> FINAL.contains(fx.status(campaignId)));
        return fx.status(campaignId);
    }

    /** Recipient status by address. */
    Map<String, String> statuses(long campaignId) {
        return dsl.select(CAMPAIGN_RECIPIENT.EMAIL, CAMPAIGN_RECIPIENT.STATUS).from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId)).fetchMap(CAMPAIGN_RECIPIENT.EMAIL, CAMPAIGN_RECIPIENT.STATUS);
    }

    Set<String> withStatus(long campaignId, String status) {
        return Set.copyOf(dsl.select(CAMPAIGN_RECIPIENT.EMAIL).from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId), CAMPAIGN_RECIPIENT.STATUS.eq(status))
                .fetch(CAMPAIGN_RECIPIENT.EMAIL));
    }

    int attempts(long campaignId, String email) {
        return dsl.select(CAMPAIGN_RECIPIENT.ATTEMPTS).from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId), CAMPAIGN_RECIPIENT.EMAIL.eq(email))
                .fetchOne(CAMPAIGN_RECIPIENT.ATTEMPTS);
    }

    long fence(long campaignId) {
        return dsl.select(CAMPAIGN_QUEUE.FENCE).from(CAMPAIGN_QUEUE).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId))
                .fetchOne(CAMPAIGN_QUEUE.FENCE);
    }

    /** I9: the stored counters equal the recipient rows and add up to the total. */
    void assertCountersMatchRows(long campaignId) {
        int[] counters = fx.counters(campaignId);
        assertThat(counters).as("counters (pending, sending, sent, failed, uncertain, suppressed, total)")
                .isEqualTo(fx.recount(campaignId));
        assertThat(Arrays.stream(counters).limit(6).sum()).isEqualTo(counters[6]);
    }
}
