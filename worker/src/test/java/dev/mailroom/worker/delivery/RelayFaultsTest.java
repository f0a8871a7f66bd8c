package dev.mailroom.worker.delivery;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.db.postgres.AttemptRow;
import dev.mailroom.db.postgres.JooqCampaignReads;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.SettableClock;
import dev.mailroom.worker.Fixtures;
import dev.mailroom.worker.Worker;
import dev.mailroom.worker.WorkerHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jooq.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Saying what is wrong: a relay that cannot be reached, or refuses us, is stored as its named fault — on the
 * attempt, on the sender's last_error and on its last connection — and never passes for an SMTP reply. Seen
 * failing before: a closed port was "transient_error" with no fault anywhere, the sender's last connection
 * unknown, so the console said "the mail server answered with a temporary error" when nothing answered.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class RelayFaultsTest {
    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private final Fixtures fx = new Fixtures();
    private Worker worker;

    private void runOnce(Map<String, String> env) {
        if (worker == null) worker = new Worker(WorkerHarness.config("faults", env), clock, new SimpleMeterRegistry());
        worker.runOnce();
    }

    @AfterEach
    void close() {
        if (worker != null) worker.close();
    }

    @Test
    void a_closed_port_is_connection_refused_on_the_attempt_the_sender_and_its_last_connection() {
        long sender = fx.sender(closedPort(), 100, 100_000);
        long campaign = fx.queuedCampaign(sender, 3, "example.org");

        runOnce(Map.of());

        assertThat(fx.dsl.fetchValue("select defer_reason from campaign_queue where campaign_id = " + campaign))
                .isEqualTo("transient_error");
        assertThat(fx.dsl.selectDistinct(DELIVERY_ATTEMPT.FAULT).from(DELIVERY_ATTEMPT).fetch(DELIVERY_ATTEMPT.FAULT))
                .containsExactly("connection_refused");
        Record s = senderRow(sender);
        assertThat(s.get(SENDER.LAST_ERROR)).isEqualTo("transient_error: cannot connect: connection refused");
        assertThat(s.get(SENDER.LAST_FAULT)).isEqualTo("connection_refused");
        assertThat(s.get(SENDER.CONNECTION_STATUS)).isEqualTo("failed");
        assertThat(s.get(SENDER.CONNECTION_FAULT)).isEqualTo("connection_refused");
        assertThat(s.get(SENDER.CONNECTION_DETAIL)).startsWith("Nothing accepted the connection (connection refused)")
                .doesNotContain("temporary");
        assertThat(s.get(SENDER.CONNECTION_AT).toInstant()).isEqualTo(clock.instant());
    }

    /** Seen failing before: the list said 0 attempts (given back, I17) while the timeline said "attempt 1". */
    @Test
    void an_attempt_given_back_is_in_the_timeline_as_not_counted_so_count_and_timeline_agree() {
        long sender = fx.sender(closedPort(), 100, 100_000);
        long campaign = fx.queuedCampaign(sender, 1, "example.org");

        runOnce(Map.of());

        long rid = fx.dsl.select(CAMPAIGN_RECIPIENT.ID).from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaign)).fetchSingle(CAMPAIGN_RECIPIENT.ID);
        int attempts = fx.dsl.fetchValue(CAMPAIGN_RECIPIENT.ATTEMPTS, CAMPAIGN_RECIPIENT.ID.eq(rid));
        List<AttemptRow> timeline = new JooqCampaignReads(fx.dsl).attempts(campaign, rid);
        assertThat(timeline).hasSize(1);
        assertThat(timeline.getFirst().outcome()).isEqualTo("unreachable");
        assertThat(timeline.getFirst().fault()).isEqualTo("connection_refused");
        assertThat(timeline.stream().filter(AttemptRow::counted).count()).as("the count is the counted attempts").isEqualTo(attempts);
        assertThat(attempts).isZero();
    }

    @Test
    void refused_credentials_are_auth_refused_and_keep_their_reply_code() {
        smtp.auth().require(true).accept("mailer", "right-password");
        long sender = fx.sender(smtp.port(), 100, 100_000);
        fx.dsl.update(SENDER).set(SENDER.SMTP_USERNAME, "mailer").set(SENDER.SMTP_PASSWORD, Fixtures.sealedPassword("old"))
                .where(SENDER.ID.eq(sender)).execute();
        fx.queuedCampaign(sender, 2, "example.org");

        runOnce(Map.of());

        Record s = senderRow(sender);
        assertThat(s.get(SENDER.LAST_FAULT)).isEqualTo("auth_refused");
        assertThat(s.get(SENDER.CONNECTION_DETAIL))
                .isEqualTo("The mail server refused this sender's username or password: 535 5.7.8 authentication failed.");
        assertThat(fx.dsl.selectDistinct(DELIVERY_ATTEMPT.FAULT).from(DELIVERY_ATTEMPT).fetch(DELIVERY_ATTEMPT.FAULT))
                .containsExactly("auth_refused");
    }

    @Test
    void a_server_that_never_greets_is_a_timeout_not_a_reply() {
        smtp.greetingDelay(Duration.ofSeconds(5));
        long sender = fx.sender(smtp.port(), 100, 100_000);
        fx.queuedCampaign(sender, 1, "example.org");

        runOnce(Map.of("MAILROOM_SMTP_TIMEOUT_MS", "300"));

        assertThat(senderRow(sender).get(SENDER.LAST_FAULT)).isEqualTo("connection_timeout");
        assertThat(senderRow(sender).get(SENDER.LAST_ERROR)).isEqualTo("transient_error: cannot connect: timed out");
    }

    @Test
    void an_untrusted_certificate_is_a_tls_failure() {
        smtp.implicitTls(true);
        smtp.certificate(); // a self-signed certificate the worker does not trust
        long sender = fx.sender(smtp.port(), 100, 100_000);
        fx.dsl.update(SENDER).set(SENDER.SMTP_TLS, "tls").where(SENDER.ID.eq(sender)).execute();
        fx.queuedCampaign(sender, 1, "example.org");

        runOnce(Map.of());

        assertThat(senderRow(sender).get(SENDER.LAST_FAULT)).isEqualTo("tls_failed");
        assertThat(smtp.received()).isEmpty();
    }

    @Test
    void accepted_mail_makes_the_last_connection_good_and_clears_the_fault() {
        long sender = fx.sender(smtp.port(), 100, 100_000);
        long campaign = fx.queuedCampaign(sender, 2, "example.org");
        smtp.refuseConnections(true);
        runOnce(Map.of());
        assertThat(senderRow(sender).get(SENDER.CONNECTION_STATUS)).isEqualTo("failed");

        smtp.refuseConnections(false);
        clock.advance(Duration.ofMinutes(1));
        runOnce(Map.of());

        assertThat(fx.status(campaign)).isEqualTo("sent");
        Record s = senderRow(sender);
        assertThat(s.get(SENDER.CONNECTION_STATUS)).isEqualTo("ok");
        assertThat(s.get(SENDER.CONNECTION_FAULT)).isNull();
        assertThat(s.get(SENDER.LAST_FAULT)).isNull();
        assertThat(s.get(SENDER.CONNECTION_AT).toInstant()).isEqualTo(clock.instant());
    }

    private Record senderRow(long sender) {
        return fx.dsl.selectFrom(SENDER).where(SENDER.ID.eq(sender)).fetchOne();
    }

    /** A port of this machine where nothing listens: connecting to it is refused at once. */
    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
