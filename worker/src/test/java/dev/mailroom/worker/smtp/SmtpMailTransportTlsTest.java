package dev.mailroom.worker.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.port.MailTransport;
import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.sender.SmtpSettings;
import dev.mailroom.core.sender.SmtpSettings.Tls;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.TestCertificate;
import dev.mailroom.testkit.TestServices;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker's SMTP client against a relay with a self-signed certificate: trusted only through the
 * worker's trust store setting, never by default, never without TLS when the sender asks for it. And what
 * the transport answers today when the relay refuses our credentials or our sender (I15): whatever the
 * classification becomes, it must never be {@code Sent}.
 */
class SmtpMailTransportTlsTest {
    private static final String TO = "ann@example.org";
    private static final SecretSealer SEALER = new SecretSealer(KeyRing.parse(TestServices.SECRET_KEY));

    @RegisterExtension
    final FaultySmtpServer relay = FaultySmtpServer.start();

    private SmtpTrustStore trusting(TestCertificate cert) {
        return new SmtpTrustStore(cert.trustStore(), cert.password());
    }

    /** As stored: the password sealed (I19). */
    private SmtpSettings settings(Tls tls, String username, String password) {
        String sealed = password == null ? null : SEALER.seal(password, SmtpSettings.PASSWORD_SEAL_PURPOSE);
        return new SmtpSettings("127.0.0.1", relay.port(), tls, username, sealed, false);
    }

    private static DeliveryOutcome sendOne(SmtpMailTransport transport, SmtpSettings smtp) {
        try (MailTransport.Connection c = transport.open(smtp)) {
            return c.send(new OutgoingMessage(1, "<mr.1.1@example.com>", "news@example.com", "News", TO, "Hello",
                    "<p>Hi</p>", "Hi"));
        }
    }

    @Test
    void starttls_to_a_self_signed_relay_works_with_the_trust_store_setting() {
        relay.requireTls(true);
        relay.auth().require(true).accept("mailer", "s3cret");
        SmtpMailTransport transport = new SmtpMailTransport(30_000, trusting(relay.certificate()), SEALER);

        DeliveryOutcome outcome = sendOne(transport, settings(Tls.STARTTLS, "mailer", "s3cret"));

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Sent.class);
        assertThat(relay.tlsHandshakes()).isEqualTo(1);
        assertThat(relay.logins()).isEqualTo(1);
        assertThat(relay.receivedBy(TO)).isEqualTo(1);
    }

    @Test
    void implicit_tls_to_a_self_signed_relay_works_with_the_trust_store_setting() {
        relay.implicitTls(true);
        SmtpMailTransport transport = new SmtpMailTransport(30_000, trusting(relay.certificate()), SEALER);

        DeliveryOutcome outcome = sendOne(transport, settings(Tls.TLS, "mailer", "s3cret"));

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Sent.class);
        assertThat(relay.tlsHandshakes()).isEqualTo(1);
        assertThat(relay.receivedBy(TO)).isEqualTo(1);
    }

    @Test
    void without_the_setting_a_self_signed_relay_is_not_trusted_and_nothing_is_sent() {
        relay.offerStartTls(true);
        relay.certificate(); // made before the clock starts, so the timeout below is about TLS only

        DeliveryOutcome starttls = sendOne(new SmtpMailTransport(30_000, SEALER), settings(Tls.STARTTLS, null, null));

        assertThat(starttls).isNotInstanceOf(DeliveryOutcome.Sent.class);
        assertThat(starttls.code()).as("no SMTP reply: the relay is unreachable, not refusing").isZero();
        assertThat(relay.tlsHandshakes()).isZero();
        assertThat(relay.received()).isEmpty();
    }

    @Test
    void a_trust_store_for_another_certificate_does_not_make_the_relay_trusted() {
        relay.implicitTls(true);
        relay.certificate(TestCertificate.create());
        SmtpMailTransport transport = new SmtpMailTransport(30_000, trusting(TestCertificate.shared()), SEALER);

        DeliveryOutcome outcome = sendOne(transport, settings(Tls.TLS, null, null));

        assertThat(outcome).isNotInstanceOf(DeliveryOutcome.Sent.class);
        assertThat(relay.received()).isEmpty();
    }

    @Test
    void starttls_asked_for_but_not_offered_sends_nothing_in_the_clear() {
        SmtpMailTransport transport = new SmtpMailTransport(30_000, trusting(relay.certificate()), SEALER);

        DeliveryOutcome outcome = sendOne(transport, settings(Tls.STARTTLS, null, null));

        assertThat(outcome).isNotInstanceOf(DeliveryOutcome.Sent.class);
        assertThat(relay.received()).isEmpty();
    }

    @Test
    void a_trust_store_that_cannot_be_read_stops_the_worker_at_start() {
        assertThatThrownBy(() -> new SmtpMailTransport(30_000, new SmtpTrustStore(Path.of("/nonexistent/trust.p12"), "x"), SEALER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/nonexistent/trust.p12");
        TestCertificate cert = TestCertificate.shared();
        assertThatThrownBy(() -> new SmtpMailTransport(30_000, new SmtpTrustStore(cert.trustStore(), "wrong password"), SEALER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAILROOM_SMTP_TRUSTSTORE");
    }

    @Test
    void the_trust_store_password_never_shows_in_its_text() {
        assertThat(new SmtpTrustStore(Path.of("/etc/mailroom/trust.p12"), "hunter2").toString())
                .doesNotContain("hunter2").contains("/etc/mailroom/trust.p12");
    }

    @Test
    void I15_refused_credentials_are_the_relay_refusing_us_not_the_recipient() {
        relay.auth().refuse();
        DeliveryOutcome outcome = sendOne(new SmtpMailTransport(30_000, SEALER), settings(Tls.NONE, "mailer", "old-password"));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.RelayRefused(DeferReason.SMTP_AUTH, 535, outcome.reply()));
        assertThat(outcome.reply()).isEqualTo("535 5.7.8 authentication failed");
        assertThat(relay.received()).isEmpty();
    }

    @Test
    void I15_a_sender_refused_at_mail_from_is_the_relay_refusing_our_sender() {
        relay.faults().anySender().rejectMail("550 5.7.1 Sender address rejected: not owned by user");
        DeliveryOutcome outcome = sendOne(new SmtpMailTransport(30_000, SEALER), settings(Tls.NONE, null, null));

        assertThat(outcome).isEqualTo(new DeliveryOutcome.RelayRefused(DeferReason.SENDER_REFUSED, 550, outcome.reply()));
        assertThat(outcome.reply()).isEqualTo("550 5.7.1 sender refused");
        assertThat(relay.received()).isEmpty();
    }

    @Test
    void I15_a_message_refused_after_data_refuses_the_message_not_the_mailbox() {
        relay.faults().anySender().rejectData("554 5.7.1 Message rejected as spam");
        DeliveryOutcome outcome = sendOne(new SmtpMailTransport(30_000, SEALER), settings(Tls.NONE, null, null));

        assertThat(outcome).isInstanceOf(DeliveryOutcome.MessageRefused.class);
        assertThat(outcome.code()).isEqualTo(554);
        assertThat(relay.received()).isEmpty();
    }

    @Test
    void I19_the_sealed_password_is_opened_for_AUTH_and_the_relay_sees_the_one_given() {
        relay.auth().require(true).accept("mailer", "s3cret");
        SmtpSettings stored = settings(Tls.NONE, "mailer", "s3cret");
        assertThat(stored.password()).startsWith("v1:").doesNotContain("s3cret");

        DeliveryOutcome outcome = sendOne(new SmtpMailTransport(30_000, SEALER), stored);

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Sent.class);
        assertThat(relay.logins()).isEqualTo(1);
    }

    @Test
    void I19_a_password_sealed_under_a_key_gone_from_the_ring_is_never_sent_and_refuses_the_sender() {
        relay.auth().require(true).accept("mailer", "s3cret");
        SecretSealer otherRing = new SecretSealer(KeyRing.generated("gone"));
        SmtpSettings stored = new SmtpSettings("127.0.0.1", relay.port(), Tls.NONE, "mailer",
                otherRing.seal("s3cret", SmtpSettings.PASSWORD_SEAL_PURPOSE), false);

        DeliveryOutcome outcome = sendOne(new SmtpMailTransport(30_000, SEALER), stored);

        assertThat(outcome).isEqualTo(new DeliveryOutcome.RelayRefused(DeferReason.SENDER_REFUSED, 0, outcome.reply()));
        assertThat(outcome.reply()).startsWith("SMTP password unusable").contains("key gone is no longer in MAILROOM_SECRET_KEY")
                .doesNotContain("s3cret").doesNotContain(stored.password());
        assertThat(relay.logins()).isZero();
        assertThat(relay.received()).isEmpty();
    }
}
