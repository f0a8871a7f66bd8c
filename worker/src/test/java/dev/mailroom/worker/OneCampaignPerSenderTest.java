package dev.mailroom.worker;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith({PostgresExtension.class, RedisExtension.class})
class OneCampaignPerSenderTest {
    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();
    private final Fixtures fx = new Fixtures();
    private final CampaignRows rows = new CampaignRows(fx);

    /**
     * The lock and the claim alone keep one campaign processing per sender: the partial unique index is
     * dropped for this test, so it cannot refuse what they let through. Three workers race over six
     * campaigns that each wait three times for a retry, so the sender is let go and fought over again and
     * again; a trigger logs every claim with the database's clock, and no two may overlap.
     *
     * <p>Seen to fail with the lock broken on purpose ({@code RedissonSenderLock.tryAcquire} returning a
     * held lock without taking it, so every worker "holds" every sender): three runs out of three failed on
     * overlapping claims, e.g. campaigns 1, 2 and 3 claimed by w3, w1 and w2 within 10 ms of each other and
     * all three processing for two seconds. A 5 ms sampler of the processing rows, as this test used to
     * have, could not fail at all while the index existed.
     */
    @Test
    void I2_only_one_worker_processes_a_sender_at_a_time_even_without_the_partial_unique_index() {
        smtp.messageDelay(Duration.ofMillis(2), Duration.ofMillis(20));
        smtp.faults().recipientsMatching("r0@c\\d\\.example\\.org").tempFailRcpt("451 4.3.0 try later", 3);
        long sender = fx.sender(smtp.port(), 100_000, 1_000_000);
        List<Long> campaigns = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            long c = fx.queuedCampaign(sender, 8, "c" + k + ".example.org");
            rows.batchSize(c, 4);
            campaigns.add(c);
        }
        Map<String, String> racing = Map.of("MAILROOM_WORKER_CONCURRENCY", "2", "MAILROOM_SCAN_INTERVAL_MS", "20",
                "MAILROOM_MAX_ATTEMPTS", "5", "MAILROOM_RETRY_BASE_MS", "100");
        dropTheIndex();
        try (ClaimLog log = ClaimLog.install(fx.dsl)) {
            try (Worker w1 = WorkerHarness.start("w1", racing); Worker w2 = WorkerHarness.start("w2", racing);
                 Worker w3 = WorkerHarness.start("w3", racing)) {
                for (long c : campaigns) rows.awaitFinal(c, Duration.ofSeconds(30));
            }
            assertThat(log.overlapsPerSender()).as("claims of one sender live at the same time").isEmpty();
            assertThat(fx.dsl.fetch("select detail from queue_event where detail like '%taken over%'").getValues(0))
                    .as("no worker ever took a live worker's campaign").isEmpty();
            assertThat(log.claims()).as("campaigns were let go and claimed again").hasSizeGreaterThan(campaigns.size())
                    .allSatisfy(c -> assertThat(c.to()).as("every claim ended").isNotEqualTo(OffsetDateTime.MAX));
        } finally {
            restoreTheIndex();
        }
        for (long c : campaigns) assertThat(fx.status(c)).isEqualTo("sent");
        assertThat(smtp.received()).hasSize(48);
        assertThat(smtp.receivedCounts()).hasSize(48).allSatisfy((to, n) -> assertThat(n).as(to).isEqualTo(1));
        for (long c : campaigns) rows.assertCountersMatchRows(c);
    }

    @Test
    void I2_the_partial_unique_index_refuses_a_second_processing_row_for_a_sender() {
        long sender = fx.sender(smtp.port(), 100, 1000);
        long first = fx.queuedCampaign(sender, 1, "a.example.org");
        long second = fx.queuedCampaign(sender, 1, "b.example.org");
        long otherSender = fx.sender(smtp.port(), 100, 1000);
        long elsewhere = fx.queuedCampaign(otherSender, 1, "c.example.org");

        assertThat(setProcessing(first)).isEqualTo(1);
        assertThatThrownBy(() -> setProcessing(second)).isInstanceOf(DataAccessException.class)
                .hasMessageContaining("campaign_queue_one_processing_per_sender");
        assertThat(setProcessing(elsewhere)).as("another sender is not held back").isEqualTo(1);
        assertThat(fx.status(second)).isEqualTo("queued");
    }

    private void dropTheIndex() {
        fx.dsl.execute("drop index campaign_queue_one_processing_per_sender");
    }

    /** As V1__schema.sql creates it; a failed run's leftovers are wiped first so it can be built again. */
    private void restoreTheIndex() {
        String create = "create unique index if not exists campaign_queue_one_processing_per_sender"
                + " on campaign_queue (sender_id) where status = 'processing'";
        try {
            fx.dsl.execute(create);
        } catch (DataAccessException e) {
            try {
                PostgresExtension.truncateAll();
            } catch (java.sql.SQLException x) {
                throw new IllegalStateException(x);
            }
            fx.dsl.execute(create);
        }
    }

    private int setProcessing(long campaignId) {
        return fx.dsl.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "processing")
                .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId)).execute();
    }
}
