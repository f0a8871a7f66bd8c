package dev.mailroom.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.ReceivedMail;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The product through its public API, with real web and worker processes' code, PostgreSQL, Redis and SMTP. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class EndToEndTest {
    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();
    /** Web and workers read now from it: quota hours and deferrals are the test's, whatever the wall clock does. */
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-10T10:20:00Z"));
    private Mailroom mailroom;

    @BeforeEach
    void start() {
        mailroom = new Mailroom(clock); // after the extensions wiped the database, so its admin key stays
    }

    @AfterEach
    void stop() {
        mailroom.close();
        assertThat(smtp.receivedCounts().values()).as("no address received twice").allMatch(n -> n == 1);
    }

    /**
     * Seen to fail with I1 broken on purpose: with {@code TestEmailController.enqueue} sending the email itself over
     * a socket and marking its row sent, the attempt check failed ([] for [w1:sent]); without it the test passed.
     */
    @Test
    void I1_a_test_email_goes_through_the_queue_and_is_sent_between_batches_of_a_running_campaign() throws Exception {
        smtp.messageDelay(Duration.ofMillis(15));
        long sender = mailroom.sender(smtp.port(), 100_000);
        mailroom.worker("w1", Map.of("MAILROOM_WORKER_CONCURRENCY", "1"));
        long campaign = mailroom.queuedCampaign(sender, 300, 10);
        await().atMost(Duration.ofSeconds(20)).until(() -> mailroom.progress(campaign).get("sent").asInt() >= 20);

        JsonNode queued = mailroom.post("/api/test-emails",
                "{\"sender_id\": " + sender + ", \"to\": \"me@example.com\", \"campaign_id\": " + campaign + "}");
        assertThat(queued.get("status").asText()).isEqualTo("queued");
        long testEmail = queued.get("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "sent".equals(mailroom.get("/api/test-emails/" + testEmail).get("status").asText()));
        assertThat(smtp.receivedBy("me@example.com")).isEqualTo(1);
        assertThat(mailroom.get("/api/test-emails/" + testEmail).get("message_id").asText()).startsWith("<mr.test.");
        // Sent by the worker over the queue: its attempt row, committed before the SMTP call, names it.
        assertThat(attemptsOf(testEmail)).as("the test email's delivery attempts").containsExactly("w1:sent");
        await().atMost(Duration.ofSeconds(30)).until(() -> "sent".equals(mailroom.progress(campaign).get("status").asText()));
        // Served between batches, not after the campaign: the SMTP server took campaign messages after it.
        List<String> arrivals = smtp.received().stream().map(ReceivedMail::recipient).toList();
        assertThat(arrivals.subList(arrivals.indexOf("me@example.com") + 1, arrivals.size()))
                .as("campaign messages that arrived after the test email").isNotEmpty()
                .allMatch(to -> to.endsWith("@example.org"));
    }

    private static List<String> attemptsOf(long testEmail) throws Exception {
        try (var c = PostgresExtension.dataSource().getConnection();
             var st = c.prepareStatement("select worker_id || ':' || outcome from delivery_attempt where test_email_id = ? order by id")) {
            st.setLong(1, testEmail);
            try (var rs = st.executeQuery()) {
                List<String> attempts = new ArrayList<>();
                while (rs.next()) attempts.add(rs.getString(1));
                return attempts;
            }
        }
    }

    @Test
    void I19_an_smtp_password_given_to_the_api_is_stored_sealed_never_shown_and_the_worker_logs_in_with_it() throws Exception {
        smtp.auth().require(true).accept("mailer", "given-Pa55-I19");
        JsonNode created = mailroom.senderWithLogin(smtp.port(), "mailer", "given-Pa55-I19");
        long sender = created.get("id").asLong();
        assertThat(created.toString()).doesNotContain("given-Pa55-I19");
        assertThat(mailroom.get("/api/senders/" + sender).toString()).doesNotContain("given-Pa55-I19");
        try (var c = PostgresExtension.dataSource().getConnection();
             var st = c.prepareStatement("select smtp_password from sender where id = ?")) {
            st.setLong(1, sender);
            try (var rs = st.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).startsWith("v1:").doesNotContain("given-Pa55-I19");
            }
        }
        mailroom.worker("w1", Map.of());
        long campaign = mailroom.queuedCampaign(sender, 5, 5);
        await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(mailroom.progress(campaign).get("status").asText()));
        assertThat(smtp.logins()).as("the worker logged in with the password as given").isPositive();
    }

    @Test
    void pause_and_resume_through_the_api_take_effect_mid_campaign_and_each_recipient_gets_one_email() {
        int total = 200;
        int batch = 10;
        smtp.messageDelay(Duration.ofMillis(20));
        long sender = mailroom.sender(smtp.port(), 100_000);
        long campaign = mailroom.queuedCampaign(sender, total, batch);
        try (LiveFeed live = mailroom.follow(campaign)) {
            mailroom.worker("w1", Map.of("MAILROOM_WORKER_CONCURRENCY", "2"));
            await().atMost(Duration.ofSeconds(20)).until(() -> smtp.received().size() >= 10);

            assertThat(mailroom.post("/api/campaigns/" + campaign + "/pause", "").get("status").asText()).isEqualTo("paused");
            int atPause = smtp.received().size();
            // The worker's own word that it let the campaign go, sent after its lanes returned: the count is final.
            live.awaitStatus("paused", Duration.ofSeconds(20));
            int stoppedAt = smtp.received().size();
            // Batches re-read the status, so after the pause committed at most the batch on the wire and one
            // prepared behind it can still go out, however late the Redis signal arrives.
            assertThat(stoppedAt).as("stopped within the batches in flight").isLessThanOrEqualTo(atPause + 2 * batch);
            JsonNode paused = mailroom.progress(campaign);
            assertThat(paused.get("status").asText()).isEqualTo("paused");
            assertThat(paused.get("sending").asInt()).isZero();
            assertThat(paused.get("sent").asInt()).isEqualTo(stoppedAt).isEqualTo(live.sentInBatches());
            assertThat(paused.get("pending").asInt()).isEqualTo(total - stoppedAt);

            mailroom.post("/api/campaigns/" + campaign + "/resume", "");
            live.awaitStatus("sent", Duration.ofSeconds(30));
        }
        assertThat(mailroom.progress(campaign).get("status").asText()).isEqualTo("sent");
        assertThat(smtp.received()).hasSize(total);
    }

    @Test
    void I3_I5_poll_shows_a_campaign_limited_to_50_an_hour_sending_50_then_waiting_rate_hour_until_the_next_hour() {
        // The 50 are counted in the clock's quota hour even when the wall clock turns an hour during the run.
        long sender = mailroom.sender(smtp.port(), 50);
        mailroom.worker("w1", Map.of());
        long campaign = mailroom.queuedCampaign(sender, 80, 20);
        await().atMost(Duration.ofSeconds(20)).until(() -> "deferred".equals(mailroom.progress(campaign).get("status").asText()));
        JsonNode poll = mailroom.get("/api/poll?sender_id=" + sender);
        assertThat(smtp.received()).hasSize(50);
        assertThat(poll.get("reason_code").asText()).isEqualTo("rate_hour");
        assertThat(Instant.parse(poll.get("next_run_at").asText())).isEqualTo(Instant.parse("2026-03-10T11:00:00Z"));
        assertThat(poll.get("quota").get("hour").get("used").asInt()).isEqualTo(50);
        assertThat(poll.get("active_campaign").isNull()).isTrue();
        assertThat(mailroom.progress(campaign).get("sent").asInt()).isEqualTo(50);
    }
}
