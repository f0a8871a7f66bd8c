package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.TEST_EMAIL;
import static dev.mailroom.db.postgres.Times.odt;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.defer.Schedule;
import dev.mailroom.core.defer.Wait;
import dev.mailroom.core.delivery.ReplyText;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.port.DeferralStore;
import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;

/** Deferrals with their reason and time (the CHECK constraint makes any other kind impossible, I3). */
public final class JooqDeferralStore implements DeferralStore {
    private final DSLContext dsl;

    public JooqDeferralStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public boolean deferCampaign(Claim claim, DeferReason reason, Instant until, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int deferred = tx.update(CAMPAIGN_QUEUE)
                    .set(CAMPAIGN_QUEUE.STATUS, "deferred")
                    .set(CAMPAIGN_QUEUE.DEFER_REASON, reason.wire())
                    .set(CAMPAIGN_QUEUE.DEFERRED_UNTIL, odt(until))
                    .setNull(CAMPAIGN_QUEUE.CLAIMED_BY).setNull(CAMPAIGN_QUEUE.CLAIMED_AT)
                    .set(CAMPAIGN_QUEUE.UPDATED_AT, odt(now))
                    .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(claim.campaignId()), CAMPAIGN_QUEUE.FENCE.eq(claim.fence()),
                            CAMPAIGN_QUEUE.STATUS.eq("processing"))
                    .execute();
            if (deferred == 0) return false; // paused, cancelled or taken over meanwhile: nothing to defer
            return DeferralHistory.record(tx, claim.campaignId(), reason, until);
        });
    }

    @Override
    public Optional<Wait> holdUntilSendAt(long campaignId, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Instant sendAt = Times.instant(tx.select(CAMPAIGN.SEND_AT).from(CAMPAIGN).where(CAMPAIGN.ID.eq(campaignId))
                    .fetchOne(CAMPAIGN.SEND_AT));
            Optional<Wait> wait = Schedule.waitFor(sendAt, now);
            if (wait.isEmpty()) return wait;
            int held = tx.update(CAMPAIGN_QUEUE)
                    .set(CAMPAIGN_QUEUE.STATUS, "deferred")
                    .set(CAMPAIGN_QUEUE.DEFER_REASON, wait.get().reason().wire())
                    .set(CAMPAIGN_QUEUE.DEFERRED_UNTIL, odt(wait.get().until()))
                    .set(CAMPAIGN_QUEUE.UPDATED_AT, odt(now))
                    .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId), CAMPAIGN_QUEUE.STATUS.in("queued", "deferred"))
                    .execute();
            if (held == 0) return Optional.<Wait>empty();
            DeferralHistory.record(tx, campaignId, wait.get().reason(), wait.get().until());
            return wait;
        });
    }

    @Override
    public void deferTestEmail(long testEmailId, DeferReason reason, Instant until, String lastError) {
        dsl.update(TEST_EMAIL)
                .set(TEST_EMAIL.STATUS, "deferred")
                .set(TEST_EMAIL.DEFER_REASON, reason.wire())
                .set(TEST_EMAIL.DEFERRED_UNTIL, odt(until))
                .set(TEST_EMAIL.LAST_ERROR, ReplyText.clean(lastError))
                .where(TEST_EMAIL.ID.eq(testEmailId), TEST_EMAIL.STATUS.in("queued", "sending", "deferred"))
                .execute();
    }
}
