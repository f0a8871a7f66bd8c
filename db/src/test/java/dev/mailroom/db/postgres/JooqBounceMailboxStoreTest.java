package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.bounce.BounceMailbox;
import dev.mailroom.core.bounce.MailboxCursor;
import dev.mailroom.testkit.PostgresExtension;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class JooqBounceMailboxStoreTest {
    private final BounceRows rows = new BounceRows();
    private final JooqBounceMailboxStore store = new JooqBounceMailboxStore(rows.dsl);

    @Test
    void workers_claiming_at_once_get_each_mailbox_once_until_it_is_due_again() throws Exception {
        List<Long> senders = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long s = rows.sender();
            store.save(new BounceMailbox(s, "bounces.example.com", "127.0.0.1", 143, "none", "u", "v1:k:x", "INBOX",
                    "Processed", null, null));
            senders.add(s);
        }
        rows.sender(); // one without a mailbox is never claimed
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Long> claimed = new ArrayList<>();
        try {
            List<Future<List<BounceMailbox>>> claims = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    return store.claimDue(Duration.ofMinutes(1));
                }));
            }
            start.countDown();
            for (var c : claims) c.get().forEach(m -> claimed.add(m.senderId()));
        } finally {
            pool.shutdownNow();
        }
        assertThat(claimed).containsExactlyInAnyOrderElementsOf(senders);
        assertThat(store.claimDue(Duration.ofMinutes(1))).isEmpty();

        rows.dsl.update(SENDER).set(SENDER.BOUNCE_CHECKED_AT, OffsetDateTime.now().minusMinutes(2))
                .where(SENDER.ID.eq(senders.get(0))).execute();
        assertThat(store.claimDue(Duration.ofMinutes(1))).extracting(BounceMailbox::senderId).containsExactly(senders.get(0));
    }

    @Test
    void the_reader_goes_on_where_it_stopped_until_the_mailbox_or_folder_changes() {
        long s = rows.sender();
        BounceMailbox inbox = new BounceMailbox(s, "bounces.example.com", "127.0.0.1", 143, "none", "u", "v1:k:x",
                "INBOX", "Processed", null, null);
        store.save(inbox);
        assertThat(store.cursor(s)).isEmpty();
        store.advance(s, new MailboxCursor(77, 501));
        assertThat(store.cursor(s)).contains(new MailboxCursor(77, 501));

        store.save(new BounceMailbox(s, "bounces.example.com", "127.0.0.1", 143, "none", "u", "v1:k:new-password",
                "INBOX", "Done", null, null));
        assertThat(store.cursor(s)).as("a new password or processed folder: the same messages").contains(new MailboxCursor(77, 501));

        store.save(new BounceMailbox(s, "bounces.example.com", "127.0.0.1", 143, "none", "u", "v1:k:x", "Bounces",
                "Done", null, null));
        assertThat(store.cursor(s)).as("another folder is read from its start").isEmpty();
        store.advance(s, new MailboxCursor(3, 9));
        store.delete(s);
        assertThat(store.cursor(s)).isEmpty();
    }
}
