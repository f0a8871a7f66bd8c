package dev.mailroom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fault server must behave like the relays it stands for, or the tests built on it prove nothing: here a
 * real client (Jakarta Mail, as the worker uses it) meets each scripted fault and must see what it would see
 * from a real relay — STARTTLS with a self-signed certificate, AUTH refusals, refusals at MAIL FROM and after
 * DATA, and a tarpit.
 */
class FaultySmtpServerTest {
    private static final String SENDER = "news@example.com";
    private static final String RECIPIENT = "ann@example.org";

    @RegisterExtension
    final FaultySmtpServer server = FaultySmtpServer.start();

    @Test
    void starttls_with_the_trust_store_upgrades_the_connection_and_the_message_arrives() throws Exception {
        server.requireTls(true);
        TestCertificate cert = server.certificate();
        Session session = session("smtp", trusting(cert.trustStore(), cert.password()), true);

        send(session, "user", "secret", SENDER, RECIPIENT);

        assertThat(server.tlsHandshakes()).isEqualTo(1);
        assertThat(server.logins()).isEqualTo(1);
        assertThat(server.received()).singleElement().satisfies(m -> {
            assertThat(m.from()).isEqualTo(SENDER);
            assertThat(m.recipient()).isEqualTo(RECIPIENT);
            assertThat(m.data()).contains("Subject: hello");
        });
    }

    @Test
    void starttls_fails_when_the_client_does_not_trust_the_certificate() {
        server.offerStartTls(true);

        // The JDK's default trust knows nothing of a certificate made a moment ago.
        Throwable withDefaultTrust = catchThrowable(() -> send(session("smtp", null, true), null, null, SENDER, RECIPIENT));
        // Nor does a trust store made for another certificate.
        TestCertificate other = TestCertificate.create();
        Throwable withOtherTrust = catchThrowable(() ->
                send(session("smtp", trusting(other.trustStore(), other.password()), true), null, null, SENDER, RECIPIENT));

        assertThat(withDefaultTrust).isInstanceOf(MessagingException.class).cause().isInstanceOf(SSLHandshakeException.class);
        assertThat(withOtherTrust).isInstanceOf(MessagingException.class).cause().isInstanceOf(SSLHandshakeException.class);
        assertThat(server.tlsHandshakes()).isZero();
        assertThat(server.received()).isEmpty();
    }

    @Test
    void implicit_tls_speaks_tls_from_the_first_byte() throws Exception {
        server.implicitTls(true);
        TestCertificate cert = server.certificate();

        send(session("smtps", trusting(cert.trustStore(), cert.password()), false), "user", "secret", SENDER, RECIPIENT);

        assertThat(server.tlsHandshakes()).isEqualTo(1);
        assertThat(server.receivedBy(RECIPIENT)).isEqualTo(1);
    }

    @Test
    void a_server_that_requires_tls_refuses_mail_in_the_clear_with_530() {
        server.requireTls(true);

        Throwable e = catchThrowable(() -> send(session("smtp", null, false), null, null, SENDER, RECIPIENT));

        assertThat(codes(e)).contains(530);
        assertThat(e).hasMessageContaining("530 5.7.0 Must issue a STARTTLS command first");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void wrong_credentials_are_refused_with_535_and_the_right_ones_log_in() throws Exception {
        server.auth().accept("mailer", "right");
        Session session = session("smtp", null, false);

        assertThatThrownBy(() -> send(session, "mailer", "wrong", SENDER, RECIPIENT))
                .isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("535 5.7.8 Authentication credentials invalid");
        assertThat(server.logins()).isZero();

        send(session, "mailer", "right", SENDER, RECIPIENT);
        assertThat(server.logins()).isEqualTo(1);
        assertThat(server.receivedBy(RECIPIENT)).isEqualTo(1);
    }

    @Test
    void auth_can_be_refused_for_a_while_and_recover_while_the_server_runs() throws Exception {
        Session session = session("smtp", null, false);
        server.auth().refuse();
        assertThatThrownBy(() -> send(session, "mailer", "any", SENDER, RECIPIENT))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("535 5.7.8");

        server.auth().recover().refuse("454 4.7.0 Temporary authentication failure", 1);
        assertThatThrownBy(() -> send(session, "mailer", "any", SENDER, RECIPIENT))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("454 4.7.0");
        send(session, "mailer", "any", SENDER, RECIPIENT);

        assertThat(server.logins()).isEqualTo(1);
        assertThat(server.receivedBy(RECIPIENT)).isEqualTo(1);
    }

    @Test
    void a_server_that_requires_auth_refuses_mail_without_it_with_530() {
        server.auth().require(true);

        Throwable e = catchThrowable(() -> send(session("smtp", null, false), null, null, SENDER, RECIPIENT));

        assertThat(codes(e)).contains(530);
        assertThat(e).hasMessageContaining("530 5.7.0 Authentication required");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void a_refusal_at_mail_from_names_the_sender_and_nothing_is_received() throws Exception {
        server.faults().sender(SENDER).rejectMail("550 5.7.1 Sender address rejected: not owned by user");
        Session session = session("smtp", null, false);

        Throwable e = catchThrowable(() -> send(session, null, null, SENDER, RECIPIENT));
        send(session, null, null, "other@example.com", RECIPIENT);

        assertThat(codes(e)).contains(550);
        assertThat(e).hasMessageContaining("550 5.7.1 Sender address rejected: not owned by user");
        assertThat(server.received()).singleElement().extracting(ReceivedMail::from).isEqualTo("other@example.com");
    }

    @Test
    void a_relay_wide_refusal_at_mail_from_can_last_a_number_of_times() throws Exception {
        server.faults().anySender().rejectMail("553 5.7.1 Sender address rejected", 1);
        Session session = session("smtp", null, false);

        assertThat(codes(catchThrowable(() -> send(session, null, null, SENDER, RECIPIENT)))).contains(553);
        send(session, null, null, SENDER, RECIPIENT);

        assertThat(server.receivedBy(RECIPIENT)).isEqualTo(1);
    }

    @Test
    void a_refusal_after_data_is_not_recorded_as_received() throws Exception {
        server.faults().anySender().rejectData("554 5.7.1 Message rejected as spam");
        Session session = session("smtp", null, false);

        Throwable e = catchThrowable(() -> send(session, null, null, SENDER, RECIPIENT));

        assertThat(codes(e)).contains(554);
        assertThat(e).hasMessageContaining("554 5.7.1 Message rejected as spam");
        assertThat(server.received()).isEmpty();

        server.faults().anySender().recover();
        send(session, null, null, SENDER, RECIPIENT);
        assertThat(server.receivedBy(RECIPIENT)).isEqualTo(1);
    }

    @Test
    void refusals_after_data_can_be_temporary_or_per_recipient() throws Exception {
        server.faults().sender(SENDER).rejectData("451 4.7.1 try later", 1);
        server.faults().recipient("big@example.org").rejectData("552 5.3.4 Message size exceeds fixed limit");
        Session session = session("smtp", null, false);

        assertThat(codes(catchThrowable(() -> send(session, null, null, SENDER, RECIPIENT)))).contains(451);
        send(session, null, null, SENDER, RECIPIENT);
        assertThat(codes(catchThrowable(() -> send(session, null, null, SENDER, "big@example.org")))).contains(552);

        assertThat(server.receivedCounts()).containsOnlyKeys(RECIPIENT).containsEntry(RECIPIENT, 1L);
    }

    @Test
    void greylisting_at_rcpt_still_refuses_then_accepts() throws Exception {
        server.faults().recipient(RECIPIENT).tempFailRcpt("451 4.7.1 greylisted, try again", 1);
        Session session = session("smtp", null, false);

        assertThat(codes(catchThrowable(() -> send(session, null, null, SENDER, RECIPIENT)))).contains(451);
        send(session, null, null, SENDER, RECIPIENT);

        assertThat(server.receivedBy(RECIPIENT)).isEqualTo(1);
    }

    @Test
    void a_tarpit_delays_the_greeting_and_every_reply() throws Exception {
        server.greetingDelay(Duration.ofMillis(400));
        server.replyDelay(Duration.ofMillis(50));
        Session session = session("smtp", null, false);

        long start = System.nanoTime();
        send(session, null, null, SENDER, RECIPIENT);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // greeting + EHLO, MAIL, RCPT, DATA, the terminator and QUIT answered: 400 + 6 × 50 ms at least
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(server.receivedBy(RECIPIENT)).isEqualTo(1);
    }

    @Test
    void a_client_with_a_short_timeout_gives_up_on_a_tarpit() {
        server.greetingDelay(Duration.ofSeconds(2));
        Session session = session("smtp", null, false);
        session.getProperties().put("mail.smtp.timeout", "300");

        long start = System.nanoTime();
        Throwable e = catchThrowable(() -> send(session, null, null, SENDER, RECIPIENT));

        assertThat(e).isInstanceOf(MessagingException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(server.received()).isEmpty();
    }

    private static Session session(String protocol, SSLSocketFactory trust, boolean startTls) {
        Properties p = new Properties();
        String prefix = "mail." + protocol + ".";
        p.put("mail.transport.protocol", protocol);
        p.put(prefix + "connectiontimeout", "5000");
        p.put(prefix + "timeout", "5000");
        if (trust != null) p.put(prefix + "ssl.socketFactory", trust);
        if (startTls) {
            p.put(prefix + "starttls.enable", "true");
            p.put(prefix + "starttls.required", "true");
        }
        return Session.getInstance(p);
    }

    private void send(Session session, String user, String password, String from, String to) throws Exception {
        String protocol = session.getProperty("mail.transport.protocol");
        session.getProperties().put("mail." + protocol + ".auth", Boolean.toString(user != null));
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject("hello");
        m.setText("hello there");
        m.saveChanges();
        try (Transport t = session.getTransport()) {
            t.connect("127.0.0.1", server.port(), user, password);
            t.sendMessage(m, m.getAllRecipients());
        }
    }

    /** A client is given the trust store as a file and its password, as the worker is. */
    private static SSLSocketFactory trusting(Path store, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    /** Every SMTP reply code the client's exception chain carries. */
    private static List<Integer> codes(Throwable e) {
        List<Integer> codes = new ArrayList<>();
        for (Throwable x = e; x != null; x = x instanceof MessagingException m && m.getNextException() != null
                ? m.getNextException() : x.getCause()) {
            if (x instanceof SMTPSendFailedException s) codes.add(s.getReturnCode());
            if (x instanceof SMTPSenderFailedException s) codes.add(s.getReturnCode());
            if (x instanceof SMTPAddressFailedException a) codes.add(a.getReturnCode());
            if (x.getCause() == x) break;
        }
        return codes;
    }
}
