package dev.mailroom.worker;

import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.LogCapture;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * I14 for the worker: recipients appear by id, the SMTP password never, in every output a worker has. The
 * web tier has its own test (web's LogHygieneTest).
 *
 * <p>Seen to fail with I14 broken on purpose: with {@code p.put("mail.debug", "true")} added to
 * {@code SmtpMailTransport.session}, Jakarta Mail's debug output on System.out carried "RCPT TO:&lt;alice@…&gt;"
 * and both tests failed; with a {@code log.debug("sending to {}", r.email())} added per recipient, the
 * in-process test failed on the text and JSON logs.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class LogHygieneTest {
    private static final String USER = "smtp-login@example.net";
    private static final String PASSWORD = "hunter2-S3cr3t!";
    private static final List<String> RECIPIENTS = List.of("alice@example.org", "refused@example.org",
            "later@example.org", "dropped@example.org", "bob@example.org", "listed@example.org");

    private final FaultySmtpServer smtp = FaultySmtpServer.start();
    private final Fixtures fx = new Fixtures();
    private final CampaignRows rows = new CampaignRows(fx);
    private final QueueFixtures q = new QueueFixtures(fx);

    @AfterEach
    void release() {
        smtp.close();
    }

    @Test
    void I14_a_campaign_run_with_failures_logs_no_recipient_address_name_or_smtp_password_in_text_json_or_printed_output() {
        long sender = failingCampaignSender();
        long campaign = fx.queuedCampaign(sender, RECIPIENTS);
        long testEmail = q.testEmail(sender, "ops-person@example.net");
        String logs;
        try (LogCapture capture = new LogCapture()) {
            try (Worker w = WorkerHarness.start("w1", Map.of("MAILROOM_RETRY_BASE_MS", "100"))) {
                assertThat(rows.awaitFinal(campaign, Duration.ofSeconds(15))).isEqualTo("completed_with_errors");
                await().atMost(Duration.ofSeconds(15)).until(() -> "sent".equals(q.testEmailRow(testEmail).status()));
            }
            assertThat(capture.text()).as("the capture works").contains("campaign " + campaign + " finished");
            assertThat(capture.json()).contains("\"loggerName\":\"dev.mailroom.worker.loop.RunCampaign\"")
                    .contains("campaign {} finished");
            logs = capture.all();
        }
        assertThat(smtp.logins()).as("the password was really used").isPositive();
        assertNoSecretsIn(logs, names(campaign));
    }

    @Test
    void I14_the_worker_process_prints_its_start_context_and_json_logs_without_addresses_or_passwords() throws Exception {
        long sender = failingCampaignSender();
        long campaign = fx.queuedCampaign(sender, RECIPIENTS);
        String dbPassword = TestServices.dbPassword().isEmpty() ? "db-Pa55word-for-I14" : TestServices.dbPassword();
        Map<String, String> env = new HashMap<>(WorkerHarness.SHORT_LEASE);
        env.putAll(Map.of("MAILROOM_WORKER_ID", "i14-proc", "MAILROOM_LOG_FORMAT", "json",
                "MAILROOM_SCAN_INTERVAL_MS", "200", "MAILROOM_RETRY_BASE_MS", "100", "MAILROOM_DB_PASSWORD", dbPassword,
                "MAILROOM_DB_URL", TestServices.dbUrl() + (TestServices.dbUrl().contains("?") ? "&" : "?") + "password=" + dbPassword));
        String output;
        try (WorkerProcess p = WorkerProcess.start(env)) {
            assertThat(rows.awaitFinal(campaign, Duration.ofSeconds(60))).isEqualTo("completed_with_errors");
            assertThat(p.stop()).isIn(0, 143);
            output = p.output();
        }
        List<JsonNode> lines = jsonLines(output);
        assertThat(lines).as(output).anySatisfy(l -> assertThat(l.path("message").asText()).contains("starting"));
        assertThat(output).contains("i14-proc").contains("password=***");
        assertThat(output).doesNotContain(dbPassword);
        assertNoSecretsIn(output, names(campaign));
    }

    /** A sender with an SMTP login, and faults that exercise every outcome; listed@ is suppressed. */
    private long failingCampaignSender() {
        smtp.faults().recipient("refused@example.org").rejectRcpt("550 5.1.1 <refused@example.org> no such user");
        smtp.faults().recipient("later@example.org").tempFailRcpt("451 4.3.0 <later@example.org> try later", 1);
        smtp.faults().recipient("dropped@example.org").dropAfterData();
        fx.dsl.insertInto(SUPPRESSION, SUPPRESSION.EMAIL, SUPPRESSION.REASON).values("listed@example.org", "manual").execute();
        long sender = fx.sender(smtp.port(), 1000, 10_000);
        rows.smtpLogin(sender, USER, PASSWORD);
        return sender;
    }

    private List<String> names(long campaign) {
        return fx.dsl.fetch("select name from campaign_recipient where campaign_id = ?", campaign).getValues(0, String.class);
    }

    private static void assertNoSecretsIn(String logs, List<String> recipientNames) {
        List<String> forbidden = new ArrayList<>(RECIPIENTS);
        forbidden.add("ops-person@example.net");
        forbidden.addAll(recipientNames);
        forbidden.add(PASSWORD);
        forbidden.add(base64(PASSWORD));
        forbidden.add(base64("\0" + USER + "\0" + PASSWORD));
        for (String s : forbidden) assertThat(logs).as("the logs mention %s", s).doesNotContain(s);
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<JsonNode> jsonLines(String output) {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.startsWith("{")) continue;
            try {
                out.add(json.readTree(line));
            } catch (java.io.IOException e) {
                throw new AssertionError("not a JSON log line: " + line, e);
            }
        }
        return out;
    }
}
