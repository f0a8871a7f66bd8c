package dev.mailroom.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
    private Mailroom mailroom;

    @BeforeEach
    void start() {
        mailroom = new Mailroom(); // after the extensions wiped the database, so its admin key stays
    }

    @AfterEach
    void stop() {
        mailroom.close();
        assertThat(smtp.receivedCounts().values()).as("no address received twice").allMatch(n -> n == 1);
    }

    @Test
    void I1_a_test_email_goes_through_the_queue_and_is_sent_between_batches_of_a_running_campaign() {
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
        assertThat(mailroom.progress(campaign).get("status").asText()).as("served between batches, not after")
                .isEqualTo("processing");
        assertThat(smtp.receivedBy("me@example.com")).isEqualTo(1);
        assertThat(mailroom.get("/api/test-emails/" + testEmail).get("message_id").asText()).startsWith("<mr.test.");
        await().atMost(Duration.ofSeconds(30)).until(() -> "sent".equals(mailroom.progress(campaign).get("status").asText()));
    }

    @Test
    void pause_and_resume_through_the_api_take_effect_mid_campaign_and_each_recipient_gets_one_email() {
        smtp.messageDelay(Duration.ofMillis(20));
        long sender = mailroom.sender(smtp.port(), 100_000);
        mailroom.worker("w1", Map.of("MAILROOM_WORKER_CONCURRENCY", "2"));
        long campaign = mailroom.queuedCampaign(sender, 200, 10);
        await().atMost(Duration.ofSeconds(20)).until(() -> mailroom.progress(campaign).get("sent").asInt() >= 10);

        assertThat(mailroom.post("/api/campaigns/" + campaign + "/pause", "").get("status").asText()).isEqualTo("paused");
        int atPause = smtp.received().size();
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(smtp.received().size()).as("at most the in-flight message of each lane").isLessThanOrEqualTo(atPause + 2);
        JsonNode paused = mailroom.progress(campaign);
        assertThat(paused.get("sending").asInt()).isZero();
        assertThat(paused.get("sent").asInt() + paused.get("pending").asInt()).isEqualTo(200);

        mailroom.post("/api/campaigns/" + campaign + "/resume", "");
        await().atMost(Duration.ofSeconds(30)).until(() -> "sent".equals(mailroom.progress(campaign).get("status").asText()));
        assertThat(smtp.received()).hasSize(200);
    }

    @Test
    void I3_I5_poll_shows_a_campaign_limited_to_50_an_hour_sending_50_then_waiting_rate_hour_until_the_next_hour() {
        long sender = mailroom.sender(smtp.port(), 50);
        mailroom.worker("w1", Map.of());
        long campaign = mailroom.queuedCampaign(sender, 80, 20);
        await().atMost(Duration.ofSeconds(20)).until(() -> "deferred".equals(mailroom.progress(campaign).get("status").asText()));
        JsonNode poll = mailroom.get("/api/poll?sender_id=" + sender);
        Instant nextHour = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        assertThat(smtp.received()).hasSize(50);
        assertThat(poll.get("reason_code").asText()).isEqualTo("rate_hour");
        assertThat(Instant.parse(poll.get("next_run_at").asText())).isEqualTo(nextHour);
        assertThat(poll.get("quota").get("hour").get("used").asInt()).isEqualTo(50);
        assertThat(poll.get("active_campaign").isNull()).isTrue();
        assertThat(mailroom.progress(campaign).get("sent").asInt()).isEqualTo(50);
        assertThat(nextHour.atOffset(ZoneOffset.UTC).getMinute()).isZero();
    }
}
