package dev.mailroom.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.OutputStreamAppender;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** I14: a whole campaign run, failures included, logs recipients by id and never the SMTP password. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class LogHygieneTest {
    private static final String USER = "smtp-login@example.net";
    private static final String PASSWORD = "hunter2-S3cr3t!";

    private final FaultySmtpServer smtp = FaultySmtpServer.start();
    private final Fixtures fx = new Fixtures();
    private final CampaignRows rows = new CampaignRows(fx);
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger ours = (Logger) LoggerFactory.getLogger("dev.mailroom");
    private OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender;

    @BeforeEach
    void captureLogs() {
        LoggerContext context = root.getLoggerContext();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger %mdc %msg%n%ex");
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(captured);
        appender.start();
        root.addAppender(appender);
        ours.setLevel(Level.DEBUG); // whatever an operator turns on must be clean too
    }

    @AfterEach
    void release() {
        root.detachAppender(appender);
        appender.stop();
        ours.setLevel(null);
        smtp.close();
    }

    @Test
    void I14_a_campaign_run_with_failures_logs_no_recipient_address_and_no_smtp_password() {
        smtp.faults().recipient("refused@example.org").rejectRcpt("550 5.1.1 <refused@example.org> no such user");
        smtp.faults().recipient("later@example.org").tempFailRcpt("451 4.3.0 <later@example.org> try later", 1);
        smtp.faults().recipient("dropped@example.org").dropAfterData();
        List<String> recipients = List.of("alice@example.org", "refused@example.org", "later@example.org",
                "dropped@example.org", "bob@example.org");
        long sender = fx.sender(smtp.port(), 1000, 10_000);
        rows.smtpLogin(sender, USER, PASSWORD);
        long campaign = fx.queuedCampaign(sender, recipients);
        try (Worker w = WorkerHarness.start("w1", Map.of("MAILROOM_RETRY_BASE_MS", "100"))) {
            assertThat(rows.awaitFinal(campaign, Duration.ofSeconds(15))).isEqualTo("completed_with_errors");
        }
        assertThat(smtp.logins()).as("the password was really used").isPositive();

        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("campaign " + campaign + " finished");
        for (String address : recipients) assertThat(logs).doesNotContain(address);
        assertThat(logs).doesNotContain(PASSWORD)
                .doesNotContain(Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)))
                .doesNotContain(Base64.getEncoder().encodeToString(("\0" + USER + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }
}
