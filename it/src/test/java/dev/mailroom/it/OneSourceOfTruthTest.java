package dev.mailroom.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.SettableClock;
import dev.mailroom.web.api.PollController;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * I4: the poll endpoint reads campaign_queue, and counters live with the recipients. Every value the poll
 * shows is compared with what a real worker wrote to PostgreSQL, read back with SQL: while it sends, once
 * two campaigns wait for different reasons until different times, and when everything is done.
 *
 * <p>Seen to fail with I4 broken on purpose: with the poll's head deferral (now part of
 * {@code JooqPollQueries.senderPolls}, then a query of its own) ordered by
 * {@code deferred_until desc} instead of the queue's order, the poll named the later rate_hour wait of the
 * second campaign instead of the head's transient_error; with the poll's next_run_at taken from the quota
 * hour's end instead of campaign_queue, it said 11:00 where the queue said 10:30.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class OneSourceOfTruthTest {
    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-10T10:20:00Z"));
    private final DSLContext db = DSL.using(PostgresExtension.dataSource(), SQLDialect.POSTGRES);
    private Mailroom mailroom;

    @BeforeEach
    void start() {
        mailroom = new Mailroom(clock);
    }

    @AfterEach
    void stop() {
        mailroom.close();
    }

    @Test
    void I4_the_poll_endpoint_shows_what_the_worker_wrote_to_campaign_queue_and_the_counters_equal_the_rows() {
        smtp.messageDelay(Duration.ofMillis(300)); // slow enough that a batch stays on the wire while we look
        smtp.faults().recipientsMatching("r[01]@a\\.example\\.org").tempFailRcpt("451 4.3.0 try later", 1);
        long sender = mailroom.sender(smtp.port(), 25);
        long a = mailroom.queuedCampaign(sender, 12, 10, "a.example.org");
        long b = mailroom.queuedCampaign(sender, 30, 10, "b.example.org");
        mailroom.worker("w1", Map.of("MAILROOM_WORKER_CONCURRENCY", "1", "MAILROOM_RETRY_BASE_MS", "600000"));

        // 1. Sending: a is processing with its first batch on the wire, b waits behind it.
        await().atMost(Duration.ofSeconds(20)).until(() -> smtp.received().size() >= 2);
        Snapshot sending = consistentSnapshot(sender);
        JsonNode active = sending.poll().get("active_campaign");
        Record aRow = sending.queue(a);
        assertThat(active.get("id").asLong()).isEqualTo(a);
        assertThat(active.get("status").asText()).isEqualTo(aRow.get("status", String.class)).isEqualTo("processing");
        assertThat(instant(active, "started_at")).isEqualTo(aRow.get("started_at", OffsetDateTime.class).toInstant());
        assertThat(instant(active, "last_batch_at")).isEqualTo(aRow.get("last_batch_at", OffsetDateTime.class).toInstant());
        for (String counter : new String[] {"total", "sent", "failed", "pending", "uncertain"}) {
            assertThat(active.get(counter).asInt()).as(counter).isEqualTo(sending.counters(a).get(counter, Integer.class));
        }
        assertThat(sending.poll().get("queued_count").asInt()).isEqualTo(sending.waiting()).isEqualTo(1);
        assertThat(instant(sending.poll(), "next_campaign_at")).as("b is ready now").isEqualTo(instant(sending.poll(), "server_time"));
        assertThat(sending.poll().get("reason_code").isNull()).isTrue();
        assertCountersEqualRows(a);

        // 2. Waiting: a for its two 4xx recipients' retry, b for the next quota hour; a heads the queue.
        smtp.messageDelay(Duration.ZERO);
        await().atMost(Duration.ofSeconds(30)).until(() -> "deferred".equals(status(a)) && "deferred".equals(status(b)));
        Snapshot waiting = consistentSnapshot(sender);
        JsonNode poll = waiting.poll();
        assertThat(poll.get("active_campaign").isNull()).isTrue();
        assertThat(poll.get("queued_count").asInt()).isEqualTo(waiting.waiting()).isEqualTo(2);
        assertThat(poll.get("reason_code").asText()).isEqualTo(waiting.queue(a).get("defer_reason", String.class))
                .isEqualTo("transient_error");
        Instant aUntil = waiting.queue(a).get("deferred_until", OffsetDateTime.class).toInstant();
        Instant bUntil = waiting.queue(b).get("deferred_until", OffsetDateTime.class).toInstant();
        assertThat(aUntil).as("the two waits differ, so the poll cannot pass by naming the wrong one").isBefore(bUntil);
        assertThat(instant(poll, "next_run_at")).isEqualTo(aUntil);
        assertThat(instant(poll, "next_campaign_at")).isEqualTo(aUntil);
        assertThat(poll.get("quota").get("hour").get("used").asInt()).as("the hour b waits for is full").isEqualTo(25);
        assertCountersEqualRows(a);
        assertCountersEqualRows(b);

        // 3. Done: the next hour, a's retries and the rest of b go out.
        clock.set(Instant.parse("2026-03-10T11:00:01Z"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "sent".equals(status(a)) && "sent".equals(status(b)));
        JsonNode done = consistentSnapshot(sender).poll();
        assertThat(done.get("active_campaign").isNull()).isTrue();
        assertThat(done.get("queued_count").asInt()).isZero();
        assertThat(done.get("next_campaign_at").isNull()).isTrue();
        assertThat(done.get("reason_code").isNull()).isTrue();
        assertThat(done.get("quota").get("hour").get("used").asInt()).as("this hour's sends, nothing refused")
                .isEqualTo(sentSince(sender, "2026-03-10T11:00:00Z"));
        assertCountersEqualRows(a);
        assertCountersEqualRows(b);
        assertThat(smtp.receivedCounts()).hasSize(42).allSatisfy((to, n) -> assertThat(n).as(to).isEqualTo(1));
    }

    /** A poll answer and the sender's queue rows and counters, read before and after it and found unchanged. */
    private record Snapshot(JsonNode poll, Map<Long, Record> queueRows, Map<Long, Record> counterRows) {
        Record queue(long campaign) {
            return queueRows.get(campaign);
        }

        Record counters(long campaign) {
            return counterRows.get(campaign);
        }

        int waiting() {
            return (int) queueRows.values().stream().filter(r -> r.get("status", String.class).matches("queued|deferred")).count();
        }
    }

    private Snapshot consistentSnapshot(long sender) {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Map<Long, Record> queue = queueRows(sender);
            Map<Long, Record> counters = counterRows(sender);
            // Longer than the poll's shared snapshot lives, so the answer was read after the rows above.
            Thread.sleep(PollController.SNAPSHOT_MAX_AGE_NANOS / 1_000_000 + 50);
            JsonNode poll = mailroom.get("/api/poll?sender_id=" + sender);
            boolean still = queue.equals(queueRows(sender)) && counters.equals(counterRows(sender));
            return still ? new Snapshot(poll, queue, counters) : null;
        }, Objects::nonNull);
    }

    private Map<Long, Record> queueRows(long sender) {
        return db.fetch("select campaign_id, status, defer_reason, deferred_until, started_at, last_batch_at, fence"
                + " from campaign_queue where sender_id = ?", sender).intoMap(r -> r.get("campaign_id", Long.class));
    }

    private Map<Long, Record> counterRows(long sender) {
        return db.fetch("select id, total, pending, sending, sent, failed, uncertain, suppressed from campaign"
                + " where sender_id = ?", sender).intoMap(r -> r.get("id", Long.class));
    }

    /** Progress, as the API shows it, against a count of the recipient rows. */
    private void assertCountersEqualRows(long campaign) {
        JsonNode p = mailroom.progress(campaign);
        Map<String, Integer> rows = db.fetch("select status, count(*) from campaign_recipient where campaign_id = ?"
                + " group by status", campaign).intoMap(r -> r.get(0, String.class), r -> r.get(1, Integer.class));
        for (String s : new String[] {"pending", "sending", "sent", "failed", "uncertain", "suppressed"}) {
            assertThat(p.get(s).asInt()).as("campaign %d %s", campaign, s).isEqualTo(rows.getOrDefault(s, 0));
        }
        assertThat(p.get("total").asInt()).isEqualTo(rows.values().stream().mapToInt(Integer::intValue).sum());
    }

    /** Messages sent (or possibly sent) since the start of the hour, from PostgreSQL. */
    private int sentSince(long sender, String hourStart) {
        return db.fetchOne("select count(*) from delivery_attempt where sender_id = ? and outcome in ('sent', 'uncertain')"
                + " and attempted_at >= ?::timestamptz", sender, hourStart).get(0, Integer.class);
    }

    private String status(long campaign) {
        return mailroom.progress(campaign).get("status").asText();
    }

    private static Instant instant(JsonNode node, String field) {
        return Instant.parse(node.get(field).asText());
    }
}
