package dev.mailroom.worker.delivery;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CONNECTION_TEST;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.testkit.SettableClock;
import dev.mailroom.testkit.SmtpAuth;
import dev.mailroom.worker.Fixtures;
import dev.mailroom.worker.Worker;
import dev.mailroom.worker.WorkerHarness;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.jooq.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Test connection", as the worker runs it (I1): connect, EHLO, TLS and AUTH as the sender's settings say,
 * QUIT. It sends no mail, writes no attempt and reserves no quota (I5, I17); its result names the fault.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class ConnectionTestsTest {
    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-24T10:00:00Z"));
    private final Fixtures fx = new Fixtures();
    private Worker worker;

    private void runOnce() {
        if (worker == null) worker = new Worker(WorkerHarness.config("tester", Map.of()), clock, new SimpleMeterRegistry());
        worker.runOnce();
    }

    @AfterEach
    void close() {
        if (worker != null) worker.close();
    }

    @Test
    void nothing_listening_fails_as_connection_refused() {
        long sender = fx.sender(RelayFaultsTest.closedPort(), 100, 100_000);
        long test = queueTest(sender);

        runOnce();

        Record t = testRow(test);
        assertThat(t.get(CONNECTION_TEST.STATUS)).isEqualTo("failed");
        assertThat(t.get(CONNECTION_TEST.FAULT)).isEqualTo("connection_refused");
        assertThat(t.get(CONNECTION_TEST.DETAIL)).startsWith("Nothing accepted the connection (connection refused)");
        assertThat(t.get(CONNECTION_TEST.TESTED_AT).toInstant()).isEqualTo(clock.instant());
        assertThat(t.get(CONNECTION_TEST.WORKER_ID)).isEqualTo("tester");
        Record s = fx.dsl.selectFrom(SENDER).where(SENDER.ID.eq(sender)).fetchOne();
        assertThat(s.get(SENDER.CONNECTION_STATUS)).isEqualTo("failed");
        assertThat(s.get(SENDER.CONNECTION_FAULT)).isEqualTo("connection_refused");
        assertThat(s.get(SENDER.RELAY_FAILURES)).as("a test is no refusal of mail: the backoff is untouched").isZero();
        assertThat(s.get(SENDER.LAST_ERROR)).isNull();
        nothingSentNothingSpent();
    }

    @Test
    void refused_credentials_fail_as_auth_refused_with_the_reply_code() {
        smtp.auth().refuse(SmtpAuth.INVALID_CREDENTIALS);
        long sender = fx.sender(smtp.port(), 100, 100_000);
        login(sender);
        long test = queueTest(sender);

        runOnce();

        Record t = testRow(test);
        assertThat(t.get(CONNECTION_TEST.STATUS)).isEqualTo("failed");
        assertThat(t.get(CONNECTION_TEST.FAULT)).isEqualTo("auth_refused");
        assertThat(t.get(CONNECTION_TEST.DETAIL))
                .isEqualTo("The mail server refused this sender's username or password: 535 5.7.8 authentication failed.")
                .as("the server's own text is never kept (I15)").doesNotContain("credentials invalid");
        nothingSentNothingSpent();
    }

    @Test
    void a_relay_that_takes_the_login_passes_and_receives_no_mail() {
        smtp.auth().require(true).accept("mailer", "right-password");
        long sender = fx.sender(smtp.port(), 100, 100_000);
        login(sender);
        fx.dsl.update(SENDER).set(SENDER.ENABLED, false).where(SENDER.ID.eq(sender)).execute(); // tested all the same
        long test = queueTest(sender);

        runOnce();

        Record t = testRow(test);
        assertThat(t.get(CONNECTION_TEST.STATUS)).isEqualTo("ok");
        assertThat(t.get(CONNECTION_TEST.FAULT)).isNull();
        assertThat(t.get(CONNECTION_TEST.DETAIL)).isEqualTo("The mail server answered without encryption and accepted the username and password.");
        assertThat(smtp.logins()).as("AUTH was really said").isEqualTo(1);
        assertThat(fx.dsl.fetchValue(SENDER.CONNECTION_STATUS, SENDER.ID.eq(sender))).isEqualTo("ok");
        nothingSentNothingSpent();
    }

    @Test
    void starttls_asked_for_and_not_offered_fails_as_tls() {
        long sender = fx.sender(smtp.port(), 100, 100_000);
        fx.dsl.update(SENDER).set(SENDER.SMTP_TLS, "starttls").where(SENDER.ID.eq(sender)).execute();
        long test = queueTest(sender);

        runOnce();

        assertThat(testRow(test).get(CONNECTION_TEST.FAULT)).isEqualTo("tls_failed");
        assertThat(testRow(test).get(CONNECTION_TEST.DETAIL)).contains("STARTTLS is required but the server does not offer it");
    }

    @Test
    void a_waiting_campaign_is_left_waiting() {
        long sender = fx.sender(smtp.port(), 100, 100_000);
        long campaign = fx.queuedCampaign(sender, 2, "example.org");
        fx.dsl.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "deferred").set(CAMPAIGN_QUEUE.DEFER_REASON, "transient_error")
                .set(CAMPAIGN_QUEUE.DEFERRED_UNTIL, clock.instant().plusSeconds(600).atOffset(ZoneOffset.UTC))
                .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaign)).execute();
        long test = queueTest(sender);

        runOnce();

        assertThat(testRow(test).get(CONNECTION_TEST.STATUS)).isEqualTo("ok");
        assertThat(fx.status(campaign)).isEqualTo("deferred");
        assertThat(smtp.received()).isEmpty();
    }

    private long queueTest(long sender) {
        return fx.dsl.insertInto(CONNECTION_TEST, CONNECTION_TEST.SENDER_ID).values(sender)
                .returning(CONNECTION_TEST.ID).fetchOne(CONNECTION_TEST.ID);
    }

    private void login(long sender) {
        fx.dsl.update(SENDER).set(SENDER.SMTP_USERNAME, "mailer").set(SENDER.SMTP_PASSWORD, Fixtures.sealedPassword("right-password"))
                .where(SENDER.ID.eq(sender)).execute();
    }

    private Record testRow(long test) {
        return fx.dsl.selectFrom(CONNECTION_TEST).where(CONNECTION_TEST.ID.eq(test)).fetchOne();
    }

    private void nothingSentNothingSpent() {
        assertThat(smtp.received()).isEmpty();
        assertThat(fx.dsl.fetchCount(DELIVERY_ATTEMPT)).as("no attempt row: nothing counts against a quota").isZero();
        assertThat(RedisExtension.admin().getKeys().getKeysByPattern("*quota:*")).as("no reservation").isEmpty();
    }
}
