package dev.mailroom.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a relay says (or a service that is no relay: a sender pointed at an internal port) never reaches the
 * API beyond its reply code and enhanced status code: otherwise a sender's settings would be a way to read
 * banners of whatever the server can reach. Every greeting, refusal and acceptance below carries a marker;
 * every view a viewer can read is searched for it.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class RemoteTextNeverShownTest {
    private static final String MARKER = "Xyzzy-Banner-7Q";

    @Test
    void no_greeting_refusal_or_acceptance_text_of_a_server_appears_in_any_api_response() {
        try (FaultySmtpServer badGreeting = FaultySmtpServer.start();
             FaultySmtpServer notSmtp = FaultySmtpServer.start();
             FaultySmtpServer authRefused = FaultySmtpServer.start();
             FaultySmtpServer talkative = FaultySmtpServer.start();
             Mailroom mailroom = new Mailroom(Clock.systemUTC())) {
            badGreeting.greeting("554 5.7.1 " + MARKER + " no service for you");
            notSmtp.greeting("HTTP/1.1 400 Bad Request " + MARKER);
            authRefused.auth().refuse("535 5.7.8 " + MARKER + " credentials rejected");
            talkative.acceptedReply("250 2.0.0 Ok: queued as " + MARKER);
            talkative.faults().recipient("gone@example.org").rejectRcpt("550 5.1.1 <gone@example.org> " + MARKER + " user unknown");
            talkative.faults().recipient("spam@example.org").rejectData("554 5.7.1 " + MARKER + " looks like spam");
            talkative.faults().recipientsMatching(".*@blocked\\.example").rejectRcpt("554 5.7.1 " + MARKER + " relay denied");

            long s1 = mailroom.sender(badGreeting.port(), 1000);
            long s2 = mailroom.sender(notSmtp.port(), 1000);
            long s3 = mailroom.senderWithLogin(authRefused.port(), "mailer", "pw-123456").get("id").asLong();
            long s4 = mailroom.sender(talkative.port(), 1000);
            List<Long> campaigns = new ArrayList<>();
            for (long s : List.of(s1, s2, s3)) campaigns.add(campaign(mailroom, s, "a@example.org"));
            long mixed = campaign(mailroom, s4, "ok@example.org", "gone@example.org", "spam@example.org",
                    "b1@blocked.example", "b2@blocked.example", "b3@blocked.example");
            campaigns.add(mixed);
            long testEmail = mailroom.post("/api/test-emails", "{\"sender_id\": " + s4
                    + ", \"to\": \"gone@example.org\", \"subject\": \"t\", \"text\": \"t\"}").get("id").asLong();
            mailroom.worker("w1", Map.of("MAILROOM_CIRCUIT_MIN_ATTEMPTS", "2", "MAILROOM_MAX_ATTEMPTS", "1"));

            for (long s : List.of(s1, s2, s3)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> !mailroom.get("/api/senders/" + s).get("last_error").isNull());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !"queued".equals(
                    mailroom.get("/api/test-emails/" + testEmail).get("status").asText()));
            await().atMost(Duration.ofSeconds(30)).until(() -> recipients(mailroom, mixed).stream()
                    .allMatch(r -> r.get("attempts").asInt() > 0));
            await().atMost(Duration.ofSeconds(30)).until(() -> mailroom.get("/api/circuits").get("items").size() > 0);

            assertThat(mailroom.get("/api/senders/" + s1).get("last_error").asText())
                    .isEqualTo("transient_error: 554 5.7.1 connection refused by the server");
            assertThat(mailroom.get("/api/senders/" + s2).get("last_error").asText())
                    .isEqualTo("transient_error: cannot connect: the server's greeting is not SMTP");
            assertThat(mailroom.get("/api/senders/" + s3).get("last_error").asText())
                    .isEqualTo("smtp_auth: 535 5.7.8 authentication failed");

            List<String> shown = new ArrayList<>();
            for (String path : List.of("/api/senders", "/api/circuits", "/api/campaigns", "/api/test-emails/" + testEmail,
                    "/api/suppressions")) {
                shown.add(mailroom.get(path).toString());
            }
            for (long s : List.of(s1, s2, s3, s4)) {
                shown.add(mailroom.get("/api/senders/" + s).toString());
                shown.add(mailroom.get("/api/poll?sender_id=" + s).toString());
            }
            for (long c : campaigns) {
                shown.add(mailroom.get("/api/campaigns/" + c).toString());
                for (JsonNode r : recipients(mailroom, c)) {
                    shown.add(r.toString());
                    shown.add(mailroom.get("/api/campaigns/" + c + "/recipients/" + r.get("id").asLong() + "/attempts").toString());
                }
            }
            assertThat(String.join("\n", shown)).as("what the API shows")
                    .contains("550 5.1.1 mailbox refused", "554 5.7.1 message refused", "250 2.0.0 accepted")
                    .doesNotContainIgnoringCase(MARKER);
        }
    }

    private static long campaign(Mailroom mailroom, long sender, String... emails) {
        StringBuilder recipients = new StringBuilder();
        for (String e : emails) recipients.append(recipients.isEmpty() ? "" : ", ").append("{\"email\": \"").append(e).append("\"}");
        long id = mailroom.post("/api/campaigns", "{\"name\": \"c\", \"sender_id\": " + sender
                + ", \"subject\": \"Hi\", \"text\": \"Hi\", \"recipients\": [" + recipients + "]}").get("id").asLong();
        mailroom.post("/api/campaigns/" + id + "/queue", "");
        return id;
    }

    private static List<JsonNode> recipients(Mailroom mailroom, long campaign) {
        List<JsonNode> out = new ArrayList<>();
        mailroom.get("/api/campaigns/" + campaign + "/recipients").get("items").forEach(out::add);
        return out;
    }
}
