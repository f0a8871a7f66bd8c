package dev.mailroom.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.delivery.RecipientOutcome;
import dev.mailroom.core.error.LostClaim;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.recipient.Recipient;
import dev.mailroom.core.recipient.RecipientStatus;
import dev.mailroom.db.postgres.JooqCampaignStore;
import dev.mailroom.db.postgres.JooqDeferralStore;
import dev.mailroom.testkit.PostgresExtension;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** I10: once another worker has taken the campaign over, the old claim cannot change a thing. */
@ExtendWith(PostgresExtension.class)
class FencingTest {
    private final Fixtures fx = new Fixtures();
    private final CampaignRows rows = new CampaignRows(fx);
    private final JooqCampaignStore store = new JooqCampaignStore(fx.dsl);
    private final Instant now = Instant.now();

    @Test
    void I10_a_worker_whose_claim_was_taken_over_cannot_mark_record_finish_release_or_defer() {
        long sender = fx.sender(2525, 100, 1000);
        long campaign = fx.queuedCampaign(sender, 4, "example.org");
        Claim a = store.claimNext(sender, "A", now).orElseThrow();
        List<Recipient> batchA = store.nextPending(a, 2, now, Set.of());
        assertThat(store.markSending(a, messages(batchA), now)).hasSize(2);

        Claim b = store.claimNext(sender, "B", now).orElseThrow();
        assertThat(b.campaignId()).isEqualTo(campaign);
        assertThat(b.fence()).isGreaterThan(a.fence());
        assertThat(rows.withStatus(campaign, "uncertain")).as("A's in-flight rows, taken over").hasSize(2);

        List<Recipient> rest = store.nextPending(b, 10, now, Set.of());
        assertThat(store.batchContext(a)).isEmpty();
        assertThatThrownBy(() -> store.markSending(a, messages(rest), now)).isInstanceOf(LostClaim.class);
        assertThatThrownBy(() -> store.recordOutcomes(a, sent(batchA), now)).isInstanceOf(LostClaim.class);
        assertThatThrownBy(() -> store.finishIfDone(a, now)).isInstanceOf(LostClaim.class);
        store.release(a, now);
        assertThat(new JooqDeferralStore(fx.dsl).deferCampaign(a, DeferReason.TRANSIENT_ERROR, now.plusSeconds(60), now))
                .isFalse();
        assertThat(fx.status(campaign)).isEqualTo("processing");
        assertThat(rows.fence(campaign)).isEqualTo(b.fence());
        assertThat(rows.withStatus(campaign, "uncertain")).hasSize(2);
        assertThat(rows.withStatus(campaign, "pending")).hasSize(2);
        rows.assertCountersMatchRows(campaign);

        assertThat(store.markSending(b, messages(rest), now)).hasSize(2);
        store.recordOutcomes(b, sent(rest), now);
        assertThat(store.finishIfDone(b, now)).contains(CampaignStatus.COMPLETED_WITH_ERRORS);
        assertThat(rows.withStatus(campaign, "sent")).hasSize(2);
        rows.assertCountersMatchRows(campaign);
    }

    private static List<OutgoingMessage> messages(List<Recipient> rs) {
        return rs.stream().map(r -> new OutgoingMessage(r.id(), "<t." + r.id() + "@example.com>", "news@example.com",
                null, r.email(), "s", null, "t")).toList();
    }

    private static List<RecipientOutcome> sent(List<Recipient> rs) {
        return rs.stream().map(r -> new RecipientOutcome(r.id(), new DeliveryOutcome.Sent(250, "250 ok"), 3,
                RecipientStatus.SENT, null)).toList();
    }
}
