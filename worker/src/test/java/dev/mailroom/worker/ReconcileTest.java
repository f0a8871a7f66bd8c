package dev.mailroom.worker;

import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.core.port.SenderLock;
import dev.mailroom.db.postgres.JooqReconcileStore;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.db.redis.RedisSignals;
import dev.mailroom.db.redis.RedissonSenderLock;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.TestServices;
import dev.mailroom.worker.loop.Reconcile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each repair of the reconciler, against real PostgreSQL and Redis locks. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class ReconcileTest {
    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());

    private final Fixtures fx = new Fixtures();
    private final ReconcileRows rows = new ReconcileRows(fx);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LinkedBlockingQueue<Long> wakeUps = new LinkedBlockingQueue<>();
    private Redis redis;
    private SenderLock locks;
    private Reconcile reconcile;

    @BeforeEach
    void wire() {
        redis = Redis.connect(new RedisConfig(TestServices.redisUrl(), TestServices.redisPrefix()), 5_000);
        RedisSignals signals = new RedisSignals(redis);
        signals.onWake(wakeUps::offer);
        locks = new RedissonSenderLock(redis);
        reconcile = new Reconcile(new JooqReconcileStore(fx.dsl), locks, signals::wake, registry, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        redis.close();
    }

    private double fixes(String kind) {
        return registry.get("mailroom_reconcile_fixes").tag("kind", kind).counter().count();
    }

    @Test
    void I9_counters_that_disagree_with_the_recipient_rows_are_recounted_reported_and_counted() {
        long sender = fx.sender(2525, 100, 100);
        long drifted = fx.queuedCampaign(sender, 5, "example.org");
        long fine = fx.queuedCampaign(sender, 4, "example.org");
        rows.move(drifted, "pending", "sent", 2, false); // the rows moved, the counters did not
        rows.move(fine, "pending", "sent", 1, true);

        assertThat(reconcile.runOnce()).isEqualTo(new Reconcile.Report(1, 0, 0, 0));
        assertThat(fx.counters(drifted)).isEqualTo(new int[] {3, 0, 2, 0, 0, 0, 5}).isEqualTo(fx.recount(drifted));
        assertThat(fx.counters(fine)).isEqualTo(fx.recount(fine));
        assertThat(fixes("counters")).isEqualTo(1);
        assertThat(reconcile.runOnce().counters()).as("nothing left to fix").isZero();
    }

    @Test
    void I8_a_processing_campaign_nobody_serves_with_nothing_left_is_finished_honestly() {
        long sender = fx.sender(2525, 100, 100);
        long withFailure = fx.queuedCampaign(sender, 3, "example.org");
        rows.move(withFailure, "pending", "sent", 2, true);
        rows.move(withFailure, "pending", "failed", 1, true);
        rows.processing(withFailure, "dead-worker");
        long other = fx.sender(2525, 100, 100);
        long clean = fx.queuedCampaign(other, 2, "example.org");
        rows.move(clean, "pending", "sent", 2, true);
        rows.processing(clean, "dead-worker");

        assertThat(reconcile.runOnce()).isEqualTo(new Reconcile.Report(0, 0, 2, 0));
        assertThat(fx.status(withFailure)).isEqualTo("completed_with_errors");
        assertThat(fx.status(clean)).isEqualTo("sent");
        assertThat(fixes("finished")).isEqualTo(2);
        assertThat(wakeUps).isEmpty();
    }

    @Test
    void I7_recipients_left_sending_in_a_paused_campaign_nobody_serves_become_uncertain() {
        long sender = fx.sender(2525, 100, 100);
        long campaign = fx.queuedCampaign(sender, 4, "example.org");
        rows.move(campaign, "pending", "sending", 2, true);
        rows.attemptsFor(campaign, sender, "sending");
        rows.status(campaign, "paused"); // paused, then its worker died mid-batch
        long fenceBefore = rows.fence(campaign);

        assertThat(reconcile.runOnce()).isEqualTo(new Reconcile.Report(0, 1, 0, 0));
        assertThat(fx.count(campaign, "uncertain")).isEqualTo(2);
        assertThat(fx.counters(campaign)).isEqualTo(new int[] {2, 0, 0, 0, 2, 0, 4});
        assertThat(fx.dsl.fetchCount(DELIVERY_ATTEMPT, DELIVERY_ATTEMPT.OUTCOME.eq("uncertain"))).isEqualTo(2);
        assertThat(fx.status(campaign)).isEqualTo("paused");
        assertThat(rows.fence(campaign)).as("a worker still holding the old claim cannot write").isGreaterThan(fenceBefore);
        assertThat(fixes("uncertain")).isEqualTo(1);
    }

    @Test
    void a_processing_row_whose_claim_died_wakes_its_sender_once() throws Exception {
        long sender = fx.sender(2525, 100, 100);
        long campaign = fx.queuedCampaign(sender, 3, "example.org");
        rows.processing(campaign, "dead-worker");

        assertThat(reconcile.runOnce()).isEqualTo(new Reconcile.Report(0, 0, 0, 1));
        assertThat(wakeUps.poll(5, TimeUnit.SECONDS)).isEqualTo(sender);
        assertThat(fx.status(campaign)).as("claimNext takes it over under the lock").isEqualTo("processing");
        assertThat(fixes("dead_claim")).isEqualTo(1);
    }

    @Test
    void nothing_is_touched_while_a_worker_holds_the_senders_lock() {
        long sender = fx.sender(2525, 100, 100);
        long done = fx.queuedCampaign(sender, 2, "example.org");
        rows.move(done, "pending", "sent", 2, true);
        rows.processing(done, "live-worker");
        long paused = fx.queuedCampaign(sender, 2, "example.org");
        rows.move(paused, "pending", "sending", 1, true);
        rows.status(paused, "paused");
        try (SenderLock.Held held = locks.tryAcquire(sender).orElseThrow()) {
            assertThat(reconcile.runOnce()).isEqualTo(new Reconcile.Report(0, 0, 0, 0));
        }
        assertThat(fx.status(done)).isEqualTo("processing");
        assertThat(fx.count(paused, "sending")).isEqualTo(1);
        assertThat(wakeUps).isEmpty();
    }

    @Test
    void I9_a_campaign_whose_counters_drifted_is_not_stranded_the_reconciler_recounts_and_the_worker_finishes_it() {
        long sender = fx.sender(smtp.getSmtp().getPort(), 100, 100);
        long campaign = fx.queuedCampaign(sender, 3, "example.org");
        rows.move(campaign, "pending", "sent", 1, false); // counters still say 3 pending: they will never reach 0
        try (Worker w = WorkerHarness.start("w1", Map.of("MAILROOM_RECONCILE_INTERVAL_MS", "1000"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(fx.status(campaign)));
        }
        assertThat(smtp.getReceivedMessages()).hasSize(2);
        assertThat(fx.counters(campaign)).isEqualTo(new int[] {0, 0, 3, 0, 0, 0, 3});
    }

    @Test
    void I9_the_worker_runs_the_reconciler_on_its_own_interval() {
        long sender = fx.sender(2525, 100, 100);
        long campaign = fx.queuedCampaign(sender, 3, "example.org");
        rows.status(campaign, "paused"); // so the worker's send loop leaves it alone
        rows.move(campaign, "pending", "failed", 1, false);
        try (Worker w = WorkerHarness.start("w1", Map.of("MAILROOM_RECONCILE_INTERVAL_MS", "200"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> fx.counters(campaign)[3] == 1);
        }
        assertThat(fx.counters(campaign)).isEqualTo(fx.recount(campaign));
    }
}
