package dev.mailroom.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.QUEUE_EVENT;
import static dev.mailroom.db.generated.Tables.WEBHOOK_ENDPOINT;
import static dev.mailroom.db.generated.Tables.WEBHOOK_OUTBOX;
import static dev.mailroom.db.generated.Tables.WEBHOOK_SUBSCRIPTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.defer.DeferService;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.port.DeferralStore;
import dev.mailroom.core.port.LiveEvents;
import dev.mailroom.db.postgres.JooqCampaignStore;
import dev.mailroom.db.postgres.JooqDeferralStore;
import dev.mailroom.testkit.PostgresExtension;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** I3 at the store: the database refuses an unrecorded pause, and a repeated deferral notifies once. */
@ExtendWith(PostgresExtension.class)
class DeferServiceTest {
    private final Fixtures fx = new Fixtures();
    private final JooqCampaignStore campaigns = new JooqCampaignStore(fx.dsl);
    private final AtomicInteger notifications = new AtomicInteger();
    private final LiveEvents countingEvents = (campaignId, events) -> events.forEach(e -> {
        if (e.type().equals("deferred")) notifications.incrementAndGet();
    });
    private final DeferService defer = new DeferService(new JooqDeferralStore(fx.dsl), countingEvents);

    @Test
    void I3_a_deferred_queue_row_without_reason_or_until_is_rejected_by_the_database() {
        long campaign = fx.queuedCampaign(fx.sender(2525, 10, 10), 1, "example.org");
        assertThatThrownBy(() -> fx.dsl.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "deferred")
                .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaign)).execute())
                .isInstanceOf(DataAccessException.class).hasMessageContaining("deferred_has_reason_and_until");
        assertThatThrownBy(() -> fx.dsl.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "deferred")
                .set(CAMPAIGN_QUEUE.DEFER_REASON, "rate_hour").where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaign)).execute())
                .isInstanceOf(DataAccessException.class).hasMessageContaining("deferred_has_reason_and_until");
        assertThat(fx.status(campaign)).isEqualTo("queued");
    }

    /**
     * Seen to fail with I3 broken on purpose: with {@code DeferralHistory.record} notifying every time (its
     * {@code if (first)} made {@code if (true)}), the repeated deferral notified twice (2 for 1).
     */
    @Test
    void I3_deferring_the_same_campaign_reason_and_until_twice_records_one_event_and_one_notification() {
        long sender = fx.sender(2525, 10, 10);
        long campaign = fx.queuedCampaign(sender, 1, "example.org");
        subscribeAWebhookTo("deferred");
        Instant now = Instant.parse("2024-06-12T10:20:00Z");
        Instant until = Instant.parse("2024-06-12T11:00:00Z");

        defer.deferCampaign(claim(sender, now), DeferReason.RATE_HOUR, until, now);
        requeue(campaign); // a user paused and resumed it within the same hour
        defer.deferCampaign(claim(sender, now.plusSeconds(60)), DeferReason.RATE_HOUR, until, now.plusSeconds(60));

        assertThat(fx.status(campaign)).isEqualTo("deferred");
        assertThat(deferredEvents(campaign)).isEqualTo(1);
        assertThat(notifications).hasValue(1);
        assertThat(fx.dsl.fetchCount(WEBHOOK_OUTBOX, WEBHOOK_OUTBOX.EVENT.eq("deferred"))).isEqualTo(1);

        requeue(campaign); // a new hour, a new limit: a new notification
        Instant nextHour = until.plusSeconds(3600);
        defer.deferCampaign(claim(sender, until.plusSeconds(5)), DeferReason.RATE_HOUR, nextHour, until.plusSeconds(5));
        assertThat(deferredEvents(campaign)).isEqualTo(2);
        assertThat(notifications).hasValue(2);
    }

    /**
     * Seen to fail with I3 broken on purpose: with {@code ServeTestEmails.serve} deferring a disabled sender's test
     * emails through {@code JooqDeferralStore.deferTestEmail} directly, the rule named that call.
     */
    @Test
    void I3_every_deferral_goes_through_DeferService() {
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.mailroom.core", "dev.mailroom.db.postgres", "dev.mailroom.db.redis", "dev.mailroom.worker");
        var callsTheStore = JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
                JavaClass.Predicates.assignableTo(DeferralStore.class)));
        // The rule can fail: DeferService itself does call the store.
        assertThatThrownBy(() -> noClasses().should().callMethodWhere(callsTheStore).check(classes))
                .isInstanceOf(AssertionError.class).hasMessageContaining(DeferService.class.getName());
        noClasses().that().doNotHaveFullyQualifiedName(DeferService.class.getName())
                .should().callMethodWhere(callsTheStore)
                .because("I3: DeferService is the one way anything waits")
                .check(classes);
    }

    private Claim claim(long sender, Instant now) {
        return campaigns.claimNext(sender, "w1", now).orElseThrow();
    }

    private void requeue(long campaign) {
        fx.dsl.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "queued").setNull(CAMPAIGN_QUEUE.DEFER_REASON)
                .setNull(CAMPAIGN_QUEUE.DEFERRED_UNTIL).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaign)).execute();
    }

    private int deferredEvents(long campaign) {
        return fx.dsl.fetchCount(QUEUE_EVENT, QUEUE_EVENT.CAMPAIGN_ID.eq(campaign).and(QUEUE_EVENT.STATUS.eq("deferred")));
    }

    private void subscribeAWebhookTo(String event) {
        long endpoint = fx.dsl.insertInto(WEBHOOK_ENDPOINT).set(WEBHOOK_ENDPOINT.URL, "http://127.0.0.1:9/hook")
                .set(WEBHOOK_ENDPOINT.SECRET, "s").returning(WEBHOOK_ENDPOINT.ID).fetchOne(WEBHOOK_ENDPOINT.ID);
        fx.dsl.insertInto(WEBHOOK_SUBSCRIPTION).set(WEBHOOK_SUBSCRIPTION.ENDPOINT_ID, endpoint)
                .set(WEBHOOK_SUBSCRIPTION.EVENT, event).execute();
    }
}
