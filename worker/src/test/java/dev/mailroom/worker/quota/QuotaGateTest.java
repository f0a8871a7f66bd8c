package dev.mailroom.worker.quota;

import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.quota.QuotaUse;
import dev.mailroom.core.quota.Reservation;
import dev.mailroom.core.quota.SenderQuota;
import dev.mailroom.db.postgres.JooqSendLedger;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.db.redis.RedisQuotaGate;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.SettableClock;
import dev.mailroom.testkit.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RedisQuotaGate against real Redis and PostgreSQL, time driven by a SettableClock. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class QuotaGateTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final DSLContext dsl = DSL.using(PostgresExtension.dataSource(), SQLDialect.POSTGRES);
    private Redis redis;
    private RedisQuotaGate gate;
    private long senderId;

    @BeforeEach
    void connect() {
        redis = Redis.connect(new RedisConfig(TestServices.redisUrl(), TestServices.redisPrefix()), 5_000);
        gate = new RedisQuotaGate(redis, new JooqSendLedger(dsl));
        senderId = dsl.insertInto(SENDER).set(SENDER.NAME, "q").set(SENDER.FROM_EMAIL, "news@example.com")
                .set(SENDER.SMTP_HOST, "127.0.0.1").set(SENDER.SMTP_PORT, 25).set(SENDER.HOURLY_LIMIT, 1)
                .set(SENDER.MONTHLY_LIMIT, 1).returning(SENDER.ID).fetchOne(SENDER.ID);
    }

    @AfterEach
    void close() {
        redis.close();
    }

    private SenderQuota quota(int hourly, int monthly, Integer remaining, Instant syncedAt) {
        return new SenderQuota(senderId, hourly, monthly, BERLIN, remaining, syncedAt);
    }

    private SenderQuota reserving(int hourly, int testReserve) {
        return new SenderQuota(senderId, hourly, 100_000, BERLIN, null, null, testReserve);
    }

    /** An attempt PostgreSQL recorded (committed before its SMTP call), as the worker writes it. */
    private void attempted(Instant at, String outcome) {
        dsl.insertInto(DELIVERY_ATTEMPT).set(DELIVERY_ATTEMPT.SENDER_ID, senderId).set(DELIVERY_ATTEMPT.ATTEMPT_NO, 1)
                .set(DELIVERY_ATTEMPT.OUTCOME, outcome).set(DELIVERY_ATTEMPT.WORKER_ID, "w")
                .set(DELIVERY_ATTEMPT.ATTEMPTED_AT, at.atOffset(ZoneOffset.UTC)).execute();
    }

    /**
     * What the worker does with a reservation before it reserves again: marks its messages {@code sending},
     * which is what a rebuild counts.
     */
    private void marked(int n, Instant at) {
        for (int i = 0; i < n; i++) attempted(at, "sent");
    }

    @Test
    void I5_the_hour_boundary_rolls_over_in_the_quota_zone() {
        SettableClock clock = new SettableClock(Instant.parse("2024-06-12T08:59:30Z")); // 10:59:30 CEST
        SenderQuota q = quota(5, 1_000, null, null);
        assertThat(gate.reserve(q, 5, clock.instant()).granted()).isEqualTo(5);
        marked(5, clock.instant());
        Reservation refused = gate.reserve(q, 1, clock.instant());
        assertThat(refused).usingRecursiveComparison().ignoringFields("generation").isEqualTo(new Reservation(0, DeferReason.RATE_HOUR, Instant.parse("2024-06-12T09:00:00Z"), null));
        clock.advance(Duration.ofSeconds(31));
        assertThat(gate.reserve(q, 7, clock.instant()))
                .usingRecursiveComparison().ignoringFields("generation").isEqualTo(new Reservation(5, DeferReason.RATE_HOUR, Instant.parse("2024-06-12T10:00:00Z"), null));
        assertThat(gate.usage(q, clock.instant()).monthUsed()).isEqualTo(10);
    }

    @Test
    void I5_the_month_boundary_rolls_over_in_the_quota_zone() {
        SettableClock clock = new SettableClock(Instant.parse("2024-01-31T22:59:00Z")); // 23:59 CET, 31 January
        SenderQuota q = quota(100, 3, null, null);
        assertThat(gate.reserve(q, 3, clock.instant()).granted()).isEqualTo(3);
        assertThat(gate.reserve(q, 1, clock.instant()))
                .usingRecursiveComparison().ignoringFields("generation").isEqualTo(new Reservation(0, DeferReason.QUOTA_MONTH, Instant.parse("2024-01-31T23:00:00Z"), null));
        clock.advance(Duration.ofMinutes(2));
        assertThat(gate.reserve(q, 3, clock.instant()).granted()).isEqualTo(3);
        assertThat(gate.usage(q, clock.instant()).monthUsed()).isEqualTo(3);
    }

    /**
     * Seen to fail with I17 broken on purpose: with "transient" and "failed" attempts counted by
     * {@code JooqSendLedger.attemptsSince}, the rebuilt hour granted 0 of the 2 left.
     */
    @Test
    void I5_I17_lost_counters_are_rebuilt_from_the_attempts_that_spent_quota() {
        Instant now = Instant.parse("2024-06-12T08:30:00Z");
        for (int i = 0; i < 3; i++) attempted(now.minusSeconds(60 + i), "sent");
        attempted(now.minusSeconds(50), "uncertain"); // may have been delivered: counts
        attempted(now.minusSeconds(30), "not_sent"); // never reached SMTP: does not count
        attempted(now.minusSeconds(31), "transient"); // refused (4xx, or no connection): gave its quota back
        attempted(now.minusSeconds(32), "failed"); // refused (5xx): gave its quota back
        attempted(Instant.parse("2024-06-12T07:30:00Z"), "sent"); // previous hour, same month
        SenderQuota q = quota(6, 1_000, null, null);
        assertThat(gate.reserve(q, 5, now).granted()).isEqualTo(2);
        RedisExtension.flush();
        assertThat(gate.usage(q, now).hourUsed()).as("read from PostgreSQL while Redis is empty").isEqualTo(4);
        assertThat(gate.reserve(q, 5, now).granted()).as("no attempt was recorded for the 2 reserved").isEqualTo(2);
    }

    @Test
    void I6_available_is_remaining_at_sync_minus_local_sends_since_never_above_the_limit() {
        Instant syncedAt = Instant.parse("2024-06-10T12:00:00Z");
        Instant now = Instant.parse("2024-06-12T08:30:00Z");
        attempted(syncedAt.minus(Duration.ofHours(1)), "sent"); // this month, before the sync
        attempted(syncedAt.minus(Duration.ofHours(2)), "failed"); // refused: gave its quota back (I17)
        for (int i = 0; i < 4; i++) attempted(syncedAt.plus(Duration.ofHours(i + 1)), "sent");
        SenderQuota q = quota(1_000, 100, 10, syncedAt);
        assertThat(gate.usage(q, now).monthAvailable()).isEqualTo(10 - 4);
        assertThat(gate.reserve(q, 10, now))
                .usingRecursiveComparison().ignoringFields("generation").isEqualTo(new Reservation(6, DeferReason.QUOTA_MONTH, Instant.parse("2024-06-30T22:00:00Z"), null));
        marked(6, now);
        assertThat(gate.usage(q, now).monthAvailable()).isZero();

        // The provider reports a new figure: the sends-since-sync count must start again from that moment.
        Instant resynced = now.plusSeconds(60);
        SenderQuota afterSync = quota(1_000, 100, 50, resynced);
        Instant later = resynced.plusSeconds(60);
        assertThat(gate.usage(afterSync, later).monthAvailable()).as("the new remaining, below the 88 the limit leaves").isEqualTo(50);
        assertThat(gate.reserve(afterSync, 60, later).granted()).isEqualTo(50);
        marked(50, later);

        SenderQuota generous = quota(1_000, 100, 5_000, resynced);
        int usedThisMonth = 1 + 4 + 6 + 50; // the sends that spent quota; the refused one is not among them
        assertThat(gate.usage(generous, later).monthAvailable()).isEqualTo(100 - usedThisMonth);
        assertThat(gate.reserve(generous, 500, later).granted()).isEqualTo(100 - usedThisMonth);
    }

    @Test
    void I5_a_reservation_that_led_to_no_smtp_attempt_is_given_back() {
        Instant now = Instant.parse("2024-06-12T08:30:00Z");
        SenderQuota q = quota(5, 1_000, null, null);
        Reservation first = gate.reserve(q, 5, now);
        assertThat(first.granted()).isEqualTo(5);
        gate.release(q, 2, now, first.generation());
        assertThat(gate.usage(q, now).hourUsed()).isEqualTo(3);
        assertThat(gate.usage(q, now).monthUsed()).isEqualTo(3);
        assertThat(gate.reserve(q, 5, now).granted()).isEqualTo(2);

        gate.release(q, 50, now, first.generation()); // more than was reserved: the counters stop at zero
        assertThat(gate.usage(q, now).hourUsed()).isZero();

        RedisExtension.flush(); // lost counters stay lost: their rebuild already excludes what was never attempted
        gate.release(q, 1, now, first.generation());
        assertThat(redis.client().getKeys().countExists(keysOf(q, now))).isZero();
        assertThat(gate.reserve(q, 5, now).granted()).isEqualTo(5);
    }

    /**
     * The flush in the chaos quota round: worker A reserved, the counters were lost and rebuilt from PostgreSQL
     * (which never saw A's reservation: A had not marked it, and its mark then failed on the fence), and A gave
     * its reservation back. Seen to fail with the generation check taken out of {@code release_quota.lua}: the
     * hour's counter fell from 5 to 0 (3 attempts in PostgreSQL, 2 reserved), opening the hour to 5 more.
     */
    @Test
    void I5_a_reservation_given_back_after_the_counters_were_rebuilt_does_not_lower_them() {
        Instant now = Instant.parse("2024-06-12T08:30:00Z");
        SenderQuota q = quota(5, 1_000, null, null);
        Reservation stale = gate.reserve(q, 5, now);
        RedisExtension.flush();
        for (int i = 0; i < 3; i++) attempted(now.minusSeconds(60), "sent"); // the new holder's batch, marked
        assertThat(gate.reserve(q, 5, now).granted()).as("5 less the 3 PostgreSQL holds").isEqualTo(2);

        gate.release(q, 5, now, stale.generation());
        assertThat(gate.usage(q, now).hourUsed()).isEqualTo(5);
        assertThat(gate.reserve(q, 5, now).granted()).isZero();
    }

    /**
     * A failover: the new master holds the counters the old one replicated, which may miss its last writes or
     * hold a reservation twice (a script rerun after Sentinel closed the connection). Counters last rebuilt on
     * another server are set to PostgreSQL's count before anything is granted. Seen to fail with the server
     * check taken out of {@code reserve_quota.lua}: 40 phantom sends held back part of the hour (60 granted of the
     * 97 free).
     */
    @Test
    void I5_counters_counted_on_another_redis_server_are_rebuilt_from_postgresql_first() {
        Instant now = Instant.parse("2024-06-12T08:30:00Z");
        SenderQuota q = quota(100, 1_000, null, null);
        gate.reserve(q, 1, now);
        for (int i = 0; i < 3; i++) attempted(now.minusSeconds(60), "sent");
        String[] keys = keysOf(q, now);
        String generation = redis.keys().quotaGeneration(senderId);

        redis.client().getBucket(generation, org.redisson.client.codec.StringCodec.INSTANCE).set("0123abcd:1718181000.1");
        redis.client().getBucket(keys[0], org.redisson.client.codec.StringCodec.INSTANCE).set("40");
        assertThat(gate.reserve(q, 97, now).granted()).as("over-counted: 40 used by the copy, 3 in truth").isEqualTo(97);
        assertThat(gate.usage(q, now).hourUsed()).isEqualTo(100);

        for (int i = 0; i < 97; i++) attempted(now.minusSeconds(30), "sent");
        redis.client().getBucket(generation, org.redisson.client.codec.StringCodec.INSTANCE).set("0123abcd:1718181000.2");
        redis.client().getBucket(keys[0], org.redisson.client.codec.StringCodec.INSTANCE).set("95");
        assertThat(gate.reserve(q, 5, now).granted()).as("under-counted: 95 in the copy, 100 in truth").isZero();
    }

    private String[] keysOf(SenderQuota q, Instant now) {
        var p = dev.mailroom.core.quota.QuotaPeriods.at(now, q.zone());
        var k = redis.keys();
        return new String[] {k.quotaHour(senderId, p.hourKey()), k.quotaMonth(senderId, p.monthKey()), k.quotaSync(senderId, q.syncedAt())};
    }

    /**
     * Seen failing before: a worker still reserving on the previous sync's figures rebuilt the one shared
     * sends-since-sync counter from the old moment, and the new figure looked 10 smaller (quota_month).
     */
    @Test
    void I6_a_reservation_on_the_previous_sync_racing_a_new_sync_does_not_eat_into_the_new_figure() {
        Instant firstSync = Instant.parse("2024-06-10T12:00:00Z");
        Instant now = Instant.parse("2024-06-12T08:30:00Z");
        for (int i = 0; i < 10; i++) attempted(firstSync.plus(Duration.ofHours(i + 1)), "sent");
        SenderQuota before = quota(1_000, 1_000, 100, firstSync);
        SenderQuota after = quota(1_000, 1_000, 50, now); // the provider's new figure, recorded just now
        assertThat(gate.reserve(before, 1, now).granted()).as("a worker that read the sender before the sync").isEqualTo(1);
        assertThat(gate.usage(after, now).monthAvailable()).isEqualTo(50);
        assertThat(gate.reserve(after, 60, now).granted()).isEqualTo(50);
    }

    /**
     * Seen to fail with the ceiling taken out of {@code reserve_quota.lua} (the hour's room counted from the hourly
     * limit for both): the campaign was granted all 10 of the hour.
     */
    @Test
    void I5_a_campaign_stops_at_the_limit_less_the_test_reserve_and_test_emails_get_the_rest_of_the_hour() {
        Instant now = Instant.parse("2024-06-12T08:30:00Z"); // 10:30 CEST
        Instant hourEnd = Instant.parse("2024-06-12T09:00:00Z");
        SenderQuota q = reserving(10, 3);
        assertThat(gate.reserve(q, QuotaUse.CAMPAIGN, 10, now)).usingRecursiveComparison().ignoringFields("generation").isEqualTo(new Reservation(7, DeferReason.RATE_HOUR, hourEnd, null));
        assertThat(gate.reserve(q, 1, now)).as("the default is a campaign's reservation")
                .usingRecursiveComparison().ignoringFields("generation").isEqualTo(new Reservation(0, DeferReason.RATE_HOUR, hourEnd, null));
        assertThat(gate.reserve(q, QuotaUse.TEST_EMAIL, 5, now)).usingRecursiveComparison().ignoringFields("generation").isEqualTo(new Reservation(3, DeferReason.RATE_HOUR, hourEnd, null));
        assertThat(gate.reserve(q, QuotaUse.TEST_EMAIL, 1, now).granted()).as("the hourly limit holds for both").isZero();
        assertThat(gate.usage(q, now).hourUsed()).isEqualTo(10);
    }

    @Test
    void I5_test_emails_may_use_the_whole_hourly_limit_and_then_a_campaign_gets_none() {
        Instant now = Instant.parse("2024-06-12T08:30:00Z");
        SenderQuota q = reserving(10, 3);
        assertThat(gate.reserve(q, QuotaUse.TEST_EMAIL, 4, now).granted()).isEqualTo(4);
        assertThat(gate.reserve(q, QuotaUse.CAMPAIGN, 10, now).granted()).as("7 less the 4 already sent").isEqualTo(3);
        assertThat(gate.reserve(q, QuotaUse.TEST_EMAIL, 10, now).granted()).isEqualTo(3);
        assertThat(gate.usage(q, now).hourUsed()).isEqualTo(10);

        Instant nextHour = Instant.parse("2024-06-12T09:00:00Z");
        Reservation tests = gate.reserve(q, QuotaUse.TEST_EMAIL, 12, nextHour);
        assertThat(tests.granted()).isEqualTo(10);
        assertThat(gate.reserve(q, QuotaUse.CAMPAIGN, 1, nextHour).granted()).isZero();
        gate.release(q, 4, nextHour, tests.generation()); // four never reached SMTP: the campaign may have what is left below its ceiling
        assertThat(gate.reserve(q, QuotaUse.CAMPAIGN, 10, nextHour).granted()).as("6 used; the ceiling is 7").isEqualTo(1);
    }

    @Test
    void I5_without_a_reserve_campaigns_and_test_emails_share_the_whole_limit() {
        Instant now = Instant.parse("2024-06-12T08:30:00Z");
        SenderQuota q = reserving(5, 0);
        assertThat(gate.reserve(q, QuotaUse.CAMPAIGN, 5, now).granted()).isEqualTo(5);
        assertThat(gate.reserve(q, QuotaUse.TEST_EMAIL, 1, now).granted()).isZero();
    }

    /**
     * Campaign and test email reservations racing on 16 threads: the hour ends at exactly the limit, and the
     * campaigns' share never passes the limit less the reserve.
     */
    @Test
    void I5_campaigns_and_test_emails_racing_together_never_pass_the_hourly_limit() throws Exception {
        Instant now = Instant.parse("2024-06-12T08:30:00Z");
        SenderQuota q = reserving(200, 40);
        java.util.concurrent.atomic.AtomicInteger campaigns = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger tests = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            QuotaUse use = i % 2 == 0 ? QuotaUse.CAMPAIGN : QuotaUse.TEST_EMAIL;
            var total = use == QuotaUse.CAMPAIGN ? campaigns : tests;
            int wanted = 1 + i % 3;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (int g; (g = gate.reserve(q, use, wanted, now).granted()) > 0; ) total.addAndGet(g);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) t.join();
        assertThat(campaigns.get() + tests.get()).isEqualTo(200);
        assertThat(campaigns.get()).isLessThanOrEqualTo(160);
        assertThat(tests.get()).isGreaterThanOrEqualTo(40);
        assertThat(gate.usage(q, now).hourUsed()).isEqualTo(200);
    }
}
