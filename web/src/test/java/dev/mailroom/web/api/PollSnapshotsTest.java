package dev.mailroom.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mailroom.db.postgres.JooqPollQueries;
import dev.mailroom.db.postgres.JooqSendLedger;
import dev.mailroom.db.redis.RedisQuotaGate;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.web.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The poll's shared per-sender snapshot against real PostgreSQL and Redis: reads are counted by a wrapper
 * around the real loader, and time is a hand-moved nanosecond ticker, so nothing here depends on speed.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class PollSnapshotsTest {
    private static final long MAX_AGE = PollController.SNAPSHOT_MAX_AGE_NANOS;
    private static final Instant NOW = Instant.parse("2026-03-10T10:20:00Z");

    private final DSLContext dsl = TestApp.db().dsl();
    private final PollSnapshots.Loader<PollController.Requested, PollController.Read> real =
            PollController.loader(new JooqPollQueries(dsl), new RedisQuotaGate(TestApp.redis(), new JooqSendLedger(dsl)));
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicLong ticker = new AtomicLong(1_000_000_000L);
    private long sender;

    @BeforeEach
    void sender() {
        sender = dsl.fetchSingle("insert into sender (name, from_email, smtp_host, smtp_port, hourly_limit, monthly_limit)"
                + " values ('main', 'news@example.com', '127.0.0.1', 2525, 100, 15000) returning id").get(0, Long.class);
    }

    private PollSnapshots<PollController.Requested, PollController.Read> snapshots(
            PollSnapshots.Loader<PollController.Requested, PollController.Read> loader) {
        return new PollSnapshots<>((k, now) -> {
            reads.incrementAndGet();
            return loader.load(k, now);
        }, MAX_AGE, ticker::get);
    }

    private PollController.Requested key() {
        return new PollController.Requested(sender);
    }

    @Test
    void two_polls_within_the_refresh_interval_read_the_stores_once() {
        var snapshots = snapshots(real);
        PollController.Read first = snapshots.get(key(), NOW);
        ticker.addAndGet(MAX_AGE - 1);
        PollController.Read second = snapshots.get(key(), NOW.plusMillis(249));
        assertThat(reads).hasValue(1);
        assertThat(second).isSameAs(first);
        assertThat(second.asOf()).as("the data is as of the read").isEqualTo(NOW);
        assertThat(second.senders()).singleElement().satisfies(s -> assertThat(s.senderId()).isEqualTo(sender));
    }

    @Test
    void a_change_shows_once_the_refresh_interval_has_passed() {
        var snapshots = snapshots(real);
        assertThat(snapshots.get(key(), NOW).senders().get(0).enabled()).isTrue();
        dsl.execute("update sender set enabled = false where id = ?", sender);
        ticker.addAndGet(MAX_AGE / 2);
        assertThat(snapshots.get(key(), NOW).senders().get(0).enabled()).as("within the interval").isTrue();
        ticker.addAndGet(MAX_AGE / 2);
        assertThat(snapshots.get(key(), NOW).senders().get(0).enabled()).as("at the interval").isFalse();
        assertThat(reads).hasValue(2);
    }

    @Test
    void concurrent_polls_of_one_sender_share_one_read() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        var snapshots = snapshots((k, now) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return real.load(k, now);
        });
        int pollers = 8;
        List<Thread> threads = new ArrayList<>();
        List<Future<PollController.Read>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(pollers)) {
            for (int i = 0; i < pollers; i++) {
                answers.add(pool.submit(() -> {
                    synchronized (threads) {
                        threads.add(Thread.currentThread());
                    }
                    return snapshots.get(key(), NOW);
                }));
            }
            // Every poller is parked: one in the read, the others waiting for it (none finished early).
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                synchronized (threads) {
                    return threads.size() == pollers && threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING);
                }
            });
            release.countDown();
            PollController.Read first = answers.get(0).get();
            for (Future<PollController.Read> a : answers) assertThat(a.get()).isSameAs(first);
        }
        assertThat(reads).hasValue(1);
    }

    @Test
    void a_failed_read_is_not_kept_and_its_waiters_get_its_error() {
        AtomicInteger calls = new AtomicInteger();
        var snapshots = snapshots((k, now) -> {
            if (calls.getAndIncrement() == 0) throw new IllegalStateException("PostgreSQL went away");
            return real.load(k, now);
        });
        assertThatThrownBy(() -> snapshots.get(key(), NOW)).hasMessage("PostgreSQL went away");
        assertThat(snapshots.get(key(), NOW).senders()).hasSize(1);
        assertThat(reads).hasValue(2);
    }

    @Test
    void the_end_of_the_quota_hour_shown_forces_a_new_read() {
        var snapshots = snapshots(real);
        PollController.Read before = snapshots.get(key(), Instant.parse("2026-03-10T10:59:59.900Z"));
        assertThat(before.quota().hourResetsAt()).isEqualTo(Instant.parse("2026-03-10T11:00:00Z"));
        PollController.Read after = snapshots.get(key(), Instant.parse("2026-03-10T11:00:00Z"));
        assertThat(after.quota().hourResetsAt()).isEqualTo(Instant.parse("2026-03-10T12:00:00Z"));
        assertThat(reads).hasValue(2);
    }

    @Test
    void a_write_through_this_process_drops_the_snapshots() {
        var snapshots = snapshots(real);
        snapshots.get(key(), NOW);
        snapshots.clear();
        snapshots.get(key(), NOW);
        assertThat(reads).hasValue(2);
    }

    @Test
    void polls_of_ever_new_sender_ids_do_not_grow_the_snapshots_without_bound() {
        // Only the real sender is read from the stores; the ten thousand unknown ids answer "no such sender".
        var snapshots = snapshots((k, now) -> k.equals(key()) ? real.load(k, now)
                : new PollController.Read(now, List.of(), null));
        snapshots.get(key(), NOW);
        for (long id = 1_000_000; id < 1_000_000 + PollSnapshots.MAX_SENDERS; id++) {
            snapshots.get(new PollController.Requested(id), NOW);
        }
        int readsBefore = reads.get();
        snapshots.get(key(), NOW);
        assertThat(reads.get()).as("the map was emptied once full, so the sender is read again")
                .isEqualTo(readsBefore + 1);
    }

    @Test
    void without_a_sender_id_the_read_tells_one_sender_from_several() {
        var snapshots = snapshots(real);
        var only = new PollController.Requested(null);
        assertThat(snapshots.get(only, NOW).senders()).hasSize(1);
        dsl.execute("insert into sender (name, from_email, smtp_host, smtp_port, hourly_limit, monthly_limit)"
                + " values ('second', 'b@example.com', '127.0.0.1', 2525, 100, 15000)");
        snapshots.clear();
        PollController.Read several = snapshots.get(only, NOW);
        assertThat(several.senders()).hasSize(2);
        assertThat(several.quota()).as("no quota read for an unanswerable poll").isNull();
    }
}
