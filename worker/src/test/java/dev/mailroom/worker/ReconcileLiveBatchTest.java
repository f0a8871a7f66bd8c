package dev.mailroom.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.delivery.RecipientOutcome;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.recipient.Recipient;
import dev.mailroom.core.recipient.RecipientStatus;
import dev.mailroom.db.postgres.JooqCampaignStore;
import dev.mailroom.db.postgres.JooqReconcileStore;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.db.redis.RedissonSenderLock;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.SettableClock;
import dev.mailroom.testkit.TestServices;
import dev.mailroom.worker.loop.Reconcile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reconciler and a batch still on the wire whose worker's lock key was lost with Redis (a flush or a
 * failover), while the user paused the campaign: the batch is the worker's to record, not a dead one's.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class ReconcileLiveBatchTest {
    private final Fixtures fx = new Fixtures();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private final JooqCampaignStore store = new JooqCampaignStore(fx.dsl);
    private Redis redis;
    private Reconcile reconcile;
    private long campaign;
    private Claim claim;
    private List<Recipient> batch;

    @BeforeEach
    void aBatchOnTheWireOfAPausedCampaign() {
        redis = Redis.connect(new RedisConfig(TestServices.redisUrl(), TestServices.redisPrefix()), 5_000);
        reconcile = new Reconcile(new JooqReconcileStore(fx.dsl), new RedissonSenderLock(redis), id -> { },
                new SimpleMeterRegistry(), clock);
        long sender = fx.sender(2525, 100, 1_000);
        campaign = fx.queuedCampaign(sender, 4, "example.org");
        claim = store.claimNext(sender, "w1", clock.instant()).orElseThrow();
        batch = store.nextPending(claim, 4, clock.instant(), Set.of());
        store.markSending(claim, batch.stream().map(r -> new OutgoingMessage(r.id(), "<t." + r.id() + "@example.com>",
                "news@example.com", null, r.email(), "s", null, "t")).toList(), clock.instant());
        fx.dsl.execute("update campaign_queue set status = 'paused' where campaign_id = " + campaign);
    }

    @AfterEach
    void close() {
        redis.close();
    }

    /** Seen failing before: the live batch's rows became uncertain and the worker's record was fenced out. */
    @Test
    void I7_I10_a_batch_still_on_the_wire_is_left_to_its_worker_when_the_lock_key_is_gone() {
        clock.advance(Duration.ofSeconds(30));
        assertThat(reconcile.runOnce().uncertain()).isZero();
        store.recordOutcomes(claim, batch.stream().map(r -> new RecipientOutcome(r.id(), new DeliveryOutcome.Sent(250, "ok"),
                1, RecipientStatus.SENT, null)).toList(), clock.instant());
        assertThat(fx.count(campaign, "sent")).isEqualTo(4);
        assertThat(fx.counters(campaign)).isEqualTo(fx.recount(campaign));
    }

    @Test
    void I7_rows_left_sending_longer_than_any_live_batch_become_uncertain() {
        clock.advance(Duration.ofMinutes(11));
        assertThat(reconcile.runOnce().uncertain()).isEqualTo(1);
        assertThat(fx.count(campaign, "uncertain")).isEqualTo(4);
        assertThat(fx.counters(campaign)).isEqualTo(fx.recount(campaign));
    }
}
