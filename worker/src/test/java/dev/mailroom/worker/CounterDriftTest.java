package dev.mailroom.worker;

import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.campaign.UserAction;
import dev.mailroom.db.postgres.JooqCampaignLifecycle;
import dev.mailroom.db.postgres.JooqReconcileStore;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.db.redis.RedissonSenderLock;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.TestServices;
import dev.mailroom.worker.loop.Reconcile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * I9 with the reconciler off (the harness's default): it repairs drifted counters every interval, so a
 * drift bug would pass any test long enough to let it run. Here nothing repairs, and every commit of the
 * run is audited.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class CounterDriftTest {
    private static final Set<String> FINAL = Set.of("sent", "completed_with_errors", "cancelled");

    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();
    private final Fixtures fx = new Fixtures();
    private final CampaignRows rows = new CampaignRows(fx);

    /**
     * Every outcome a recipient can have, an operator's retry of the uncertain one, and at every commit
     * the counters equal the rows; at the end a reconcile pass finds nothing to fix.
     *
     * <p>Seen to fail with I9 broken on purpose: with the {@code CounterDelta ... .apply} of
     * {@code JooqCampaignStore.suppress} commented out (the suppressed row moves, its counters do not),
     * the audit logged the commit that suppressed sup@example.org, and the campaign never finished: its
     * counters kept a pending recipient that no longer existed.
     */
    @Test
    void I9_counters_equal_the_recipient_rows_at_every_commit_of_a_run_with_failures_retries_and_uncertain_outcomes() {
        smtp.faults().recipient("refused@example.org").rejectRcpt("550 5.1.1 no such user");
        smtp.faults().recipient("later@example.org").tempFailRcpt("451 4.3.0 try later", 2);
        smtp.faults().recipient("never@example.org").tempFailRcpt("451 4.3.0 try later", Integer.MAX_VALUE);
        smtp.faults().recipient("dropped@example.org").dropAfterData(1);
        fx.dsl.insertInto(SUPPRESSION, SUPPRESSION.EMAIL, SUPPRESSION.REASON).values("sup@example.org", "complaint").execute();
        long sender = fx.sender(smtp.port(), 10_000, 100_000);
        long campaign = fx.queuedCampaign(sender, List.of("ok1@example.org", "refused@example.org", "ok2@example.org",
                "later@example.org", "sup@example.org", "ok3@example.org", "dropped@example.org", "never@example.org",
                "ok4@example.org", "ok5@example.org"));
        rows.batchSize(campaign, 3);
        Map<String, String> env = Map.of("MAILROOM_WORKER_CONCURRENCY", "2", "MAILROOM_MAX_ATTEMPTS", "3",
                "MAILROOM_RETRY_BASE_MS", "100");
        try (CounterAudit audit = CounterAudit.install(fx.dsl)) {
            boolean finished;
            try (Worker w = WorkerHarness.start("w1", env)) {
                finished = reachesFinal(campaign) && fx.count(campaign, "uncertain") == 1;
                if (finished) {
                    new JooqCampaignLifecycle(fx.dsl).apply(campaign, UserAction.RETRY_UNCERTAIN);
                    finished = reachesFinal(campaign);
                }
            }
            assertThat(audit.drifts()).as("commits whose counters disagreed with the rows").isEmpty();
            assertThat(finished).as("the campaign ran to its end, the uncertain recipient retried").isTrue();
        }
        assertThat(rows.statuses(campaign)).containsEntry("refused@example.org", "failed")
                .containsEntry("never@example.org", "failed").containsEntry("sup@example.org", "suppressed")
                .containsEntry("later@example.org", "sent").containsEntry("dropped@example.org", "sent");
        assertThat(fx.status(campaign)).isEqualTo("completed_with_errors");
        rows.assertCountersMatchRows(campaign);
        try (Redis redis = Redis.connect(new RedisConfig(TestServices.redisUrl(), TestServices.redisPrefix()), 30_000)) {
            Reconcile check = new Reconcile(new JooqReconcileStore(fx.dsl), new RedissonSenderLock(redis), id -> { },
                    new SimpleMeterRegistry(), Clock.systemUTC());
            assertThat(check.runOnce().counters()).as("campaigns whose counters a reconcile pass had to fix").isZero();
        }
    }

    /** False when no final status came: a drift that leaves pending or sending above the rows stalls a campaign. */
    private boolean reachesFinal(long campaign) {
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> FINAL.contains(fx.status(campaign)));
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
