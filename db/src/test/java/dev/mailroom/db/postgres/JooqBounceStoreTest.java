package dev.mailroom.db.postgres;

import dev.mailroom.core.sender.ComplaintRateAlert;
import static dev.mailroom.db.generated.Tables.BOUNCE_EVENT;
import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.bounce.BounceType;
import dev.mailroom.core.bounce.LaterBounce;
import dev.mailroom.core.secret.RecipientTokens.Addressee;
import dev.mailroom.testkit.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class JooqBounceStoreTest {
    private static final LaterBounce USER_UNKNOWN =
            new LaterBounce("gone@example.org", BounceType.HARD, 550, "550 5.1.1 user unknown", "dsn 5.1.1 failed: mailbox refused", true);

    private final BounceRows rows = new BounceRows();
    private final JooqBounceStore store = new JooqBounceStore(rows.dsl, new JooqComplaintRate(ComplaintRateAlert.DEFAULT));

    @Test
    void two_reports_of_one_recipient_recorded_at_once_count_it_once() throws Exception {
        long sender = rows.sender();
        long campaign = rows.campaign(sender);
        long recipient = rows.sentRecipient(campaign, "gone@example.org");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<JooqBounceStore.Recorded>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String report = "<dsn." + i + "@mx.example.org>";
                results.add(pool.submit(() -> {
                    start.await();
                    return store.record(JooqBounceStore.Origin.mailbox(sender, report), USER_UNKNOWN,
                            Addressee.recipient(campaign, recipient), null);
                }));
            }
            start.countDown();
            for (var r : results) assertThat(r.get().matched()).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows.dsl.fetchCount(BOUNCE_EVENT)).isEqualTo(4);
        assertThat(rows.bounced(campaign)).isEqualTo(1);
        assertThat(rows.dsl.fetchOne(SUPPRESSION).getReason()).isEqualTo("hard_bounce");
    }

    @Test
    void I13_a_bounced_test_email_suppresses_its_address_and_counts_in_no_campaign() {
        long sender = rows.sender();
        long campaign = rows.campaign(sender);
        long test = rows.sentTestEmail(sender, "Gone@Example.org");
        var r = store.record(JooqBounceStore.Origin.mailbox(sender, "<dsn@mx>"), USER_UNKNOWN, Addressee.testEmail(test), null);
        assertThat(r.matched()).isTrue();
        assertThat(r.recipientId()).isNull();
        assertThat(rows.dsl.fetchOne(SUPPRESSION).getEmail()).isEqualTo("gone@example.org");
        assertThat(rows.bounced(campaign)).isZero();
    }

    @Test
    void a_message_id_matches_only_with_the_stored_message_id_and_the_same_address() {
        long sender = rows.sender();
        long campaign = rows.campaign(sender);
        long recipient = rows.sentRecipient(campaign, "gone@example.org");
        String mid = BounceRows.messageId(campaign, recipient);
        LaterBounce aboutSomeoneElse = new LaterBounce("other@example.org", BounceType.HARD, 550, null, "dsn 5.1.1 failed", true);
        assertThat(store.record(JooqBounceStore.Origin.api(), aboutSomeoneElse, null, mid).matched()).isFalse();
        assertThat(store.record(JooqBounceStore.Origin.api(), USER_UNKNOWN, null, "<mr." + campaign + "." + (recipient + 1)
                + "@example.com>").matched()).isFalse();
        assertThat(rows.dsl.fetchCount(SUPPRESSION)).isZero();
        assertThat(rows.dsl.fetchCount(BOUNCE_EVENT)).isEqualTo(2);

        var matched = store.record(JooqBounceStore.Origin.api(), USER_UNKNOWN, null, mid.substring(1, mid.length() - 1));
        assertThat(matched.matched()).isTrue();
        assertThat(matched.recipientId()).isEqualTo(recipient);
        assertThat(rows.bounced(campaign)).isEqualTo(1);
    }

    @Test
    void a_mailbox_acts_only_on_its_own_senders_messages_and_records_a_report_once() {
        long sender = rows.sender();
        long otherSender = rows.sender();
        long campaign = rows.campaign(otherSender);
        long recipient = rows.sentRecipient(campaign, "gone@example.org");
        Addressee who = Addressee.recipient(campaign, recipient);
        assertThat(store.record(JooqBounceStore.Origin.mailbox(sender, "<r1@mx>"), USER_UNKNOWN, who, null).matched()).isFalse();
        assertThat(rows.dsl.fetchCount(SUPPRESSION)).isZero();

        var first = store.record(JooqBounceStore.Origin.mailbox(otherSender, "<r1@mx>"), USER_UNKNOWN, who, null);
        var again = store.record(JooqBounceStore.Origin.mailbox(otherSender, "<r1@mx>"), USER_UNKNOWN, who, null);
        assertThat(first.id()).isNotNull();
        assertThat(again.id()).isNull();
        assertThat(again.matched()).isTrue();
        assertThat(rows.dsl.fetchCount(BOUNCE_EVENT, BOUNCE_EVENT.SENDER_ID.eq(otherSender))).isEqualTo(1);
        assertThat(rows.dsl.select(CAMPAIGN.BOUNCED).from(CAMPAIGN).where(CAMPAIGN.ID.eq(campaign)).fetchSingle().value1()).isEqualTo(1);
    }
}
