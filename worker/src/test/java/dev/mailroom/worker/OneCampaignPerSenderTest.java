package dev.mailroom.worker;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.QUEUE_EVENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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

    @Test
    void I2_two_workers_racing_over_one_sender_never_process_two_of_its_campaigns_at_once() throws Exception {
        smtp.messageDelay(Duration.ofMillis(2), Duration.ofMillis(20));
        // Each campaign waits three times for a retry, so the sender's lock is let go and fought over again and
        // again. Which worker wins is timing (a loaded machine lets one keep it), so only the invariants are asserted.
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
        AtomicInteger maxProcessing = new AtomicInteger();
        AtomicInteger maxSendingWorkers = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().start(() -> {
            while (sampling.get()) {
                int processing = fx.dsl.fetchCount(CAMPAIGN_QUEUE,
                        CAMPAIGN_QUEUE.SENDER_ID.eq(sender).and(CAMPAIGN_QUEUE.STATUS.eq("processing")));
                // The index alone cannot show this: two workers with rows in flight for one sender at once.
                int sendingWorkers = fx.dsl.select(org.jooq.impl.DSL.countDistinct(DELIVERY_ATTEMPT.WORKER_ID))
                        .from(DELIVERY_ATTEMPT).where(DELIVERY_ATTEMPT.SENDER_ID.eq(sender), DELIVERY_ATTEMPT.OUTCOME.eq("sending"))
                        .fetchOne(0, int.class);
                maxProcessing.accumulateAndGet(processing, Math::max);
                maxSendingWorkers.accumulateAndGet(sendingWorkers, Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        try (Worker w1 = WorkerHarness.start("w1", racing); Worker w2 = WorkerHarness.start("w2", racing)) {
            for (long c : campaigns) assertThat(rows.awaitFinal(c, Duration.ofSeconds(20))).isEqualTo("sent");
        } finally {
            sampling.set(false);
            sampler.join();
        }

        assertThat(maxProcessing.get()).isEqualTo(1);
        assertThat(maxSendingWorkers.get()).isEqualTo(1);
        assertThat(smtp.received()).hasSize(48);
        assertThat(smtp.receivedCounts()).hasSize(48).allSatisfy((to, n) -> assertThat(n).as(to).isEqualTo(1));
        assertThat(fx.dsl.fetchCount(QUEUE_EVENT, QUEUE_EVENT.DETAIL.like("%taken over%")))
                .as("no worker ever took a live worker's campaign").isZero();
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

    private int setProcessing(long campaignId) {
        return fx.dsl.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "processing")
                .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaignId)).execute();
    }
}
