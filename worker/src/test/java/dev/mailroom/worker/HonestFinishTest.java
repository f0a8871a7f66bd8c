package dev.mailroom.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.delivery.RecipientOutcome;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.recipient.Recipient;
import dev.mailroom.core.recipient.RecipientStatus;
import dev.mailroom.db.postgres.JooqCampaignAdminStore;
import dev.mailroom.db.postgres.JooqCampaignStore;
import dev.mailroom.db.postgres.NewRecipient;
import dev.mailroom.testkit.PostgresExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** I8 against a race: recipients added while the worker finds nothing left to send. */
@ExtendWith(PostgresExtension.class)
class HonestFinishTest {
    private final Fixtures fx = new Fixtures();
    private final JooqCampaignStore store = new JooqCampaignStore(fx.dsl);
    private final Instant now = Instant.now();

    /**
     * Seen failing before: the import held no lock on the queue row until its last statement, so the
     * worker wrote a final "sent" over recipients that were being added (or the import came back 409).
     */
    @Test
    void I8_a_campaign_is_not_finished_while_recipients_are_being_added_to_it() throws Exception {
        long sender = fx.sender(2525, 100, 1000);
        long campaign = fx.queuedCampaign(sender, 2, "example.org");
        Claim claim = store.claimNext(sender, "w", now).orElseThrow();
        sendAll(claim, store.nextPending(claim, 10, now, Set.of()));

        CountDownLatch importStarted = new CountDownLatch(1);
        CountDownLatch importMayEnd = new CountDownLatch(1);
        var importing = CompletableFuture.supplyAsync(() -> new JooqCampaignAdminStore(fx.dsl).addRecipients(campaign,
                slowUpload(importStarted, importMayEnd)));
        assertThat(importStarted.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Optional<CampaignStatus>> finishing = CompletableFuture.supplyAsync(() -> store.finishIfDone(claim, now));
        await().atMost(Duration.ofSeconds(10)).until(() -> finishing.isDone() || waitingOnALock());
        importMayEnd.countDown();

        assertThat(importing.get(10, TimeUnit.SECONDS).total()).isEqualTo(2);
        assertThat(finishing.get(10, TimeUnit.SECONDS)).as("two recipients are pending now").isEmpty();
        assertThat(fx.status(campaign)).isEqualTo("processing");
        assertThat(fx.count(campaign, "pending")).isEqualTo(2);
        assertThat(fx.counters(campaign)).isEqualTo(fx.recount(campaign));
    }

    private void sendAll(Claim claim, List<Recipient> rs) {
        store.markSending(claim, rs.stream().map(r -> new OutgoingMessage(r.id(), "<t." + r.id() + "@example.com>",
                "news@example.com", null, r.email(), "s", null, "t")).toList(), now);
        store.recordOutcomes(claim, rs.stream().map(r -> new RecipientOutcome(r.id(), new DeliveryOutcome.Sent(250, "ok"),
                1, RecipientStatus.SENT, null)).toList(), now);
    }

    /** Two rows, the second only once the test allows it: the import is caught half-way. */
    private static Iterator<NewRecipient> slowUpload(CountDownLatch started, CountDownLatch mayEnd) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                if (next == 1) {
                    started.countDown();
                    try {
                        mayEnd.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return next < 2;
            }

            @Override
            public NewRecipient next() {
                next++;
                return new NewRecipient(next, "late" + next + "@example.org", null, null);
            }
        };
    }

    private boolean waitingOnALock() {
        return fx.dsl.fetchExists(fx.dsl.selectOne().from("pg_stat_activity")
                .where("wait_event_type = 'Lock' and datname = current_database()"));
    }
}
