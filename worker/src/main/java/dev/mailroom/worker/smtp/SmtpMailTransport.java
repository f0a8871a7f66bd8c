package dev.mailroom.worker.smtp;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.delivery.ConnectionCheck;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.delivery.SmtpReplies;
import dev.mailroom.core.port.MailTransport;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.sender.SmtpSettings;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;

/**
 * Jakarta Mail (Angus) SMTP. A connection is kept open and reused for message after message. {@code tls}
 * is implicit TLS ("smtps", port 465), {@code starttls} upgrades a plain connection and refuses to go on
 * without it; both check the relay's certificate and host name against the JDK's trust anchors, plus an
 * optional {@link SmtpTrustStore} of the worker's for relays with a self-signed or private certificate.
 * The password arrives sealed as stored (I19) and is opened here, just before AUTH; one that cannot be opened
 * is never sent: every message is refused as the relay refusing the sender, so its campaigns wait. So is AUTH
 * over an unencrypted connection to a relay off this machine, unless the sender allows it
 * ({@link SmtpSettings#refusesPlaintextAuth()}): senders stored before that rule are held here, not sent in clear.
 * A connection test ({@link #check}) goes through the same settings, session and trust, up to AUTH.
 */
public final class SmtpMailTransport implements MailTransport {
    private final int timeoutMillis;
    private final SSLSocketFactory tlsSockets;
    private final OpenedSmtpPasswords passwords;

    /** Trusts the relays the JDK trusts; {@code sealer} opens the stored passwords. */
    public SmtpMailTransport(int timeoutMillis, SecretSealer sealer) {
        this(timeoutMillis, null, sealer);
    }

    /** Also trusts the certificates in {@code trustStore}, when not null; reads the store now. */
    public SmtpMailTransport(int timeoutMillis, SmtpTrustStore trustStore, SecretSealer sealer) {
        this.timeoutMillis = timeoutMillis;
        this.tlsSockets = trustStore == null ? null : trustStore.socketFactory();
        this.passwords = new OpenedSmtpPasswords(sealer);
    }

    @Override
    public Connection open(SmtpSettings stored) {
        Opened o = opened(stored);
        return o.refusal() != null ? new Refused(o.refusal()) : new SmtpConnection(o.smtp(), session(o.smtp()));
    }

    /**
     * Connects, says EHLO, upgrades to TLS and authenticates as the settings say, then QUIT: what sending would
     * do up to MAIL FROM, and nothing more.
     */
    @Override
    public ConnectionCheck check(SmtpSettings stored) {
        Opened o = opened(stored);
        if (o.refusal() != null) return ConnectionCheck.failed(new Refused(o.refusal()).refusal());
        SmtpSettings smtp = o.smtp();
        Transport t = null;
        try {
            t = session(smtp).getTransport();
            t.connect(smtp.host(), smtp.port(), smtp.username(), smtp.password());
            return ConnectionCheck.passed(passed(smtp, t));
        } catch (MessagingException e) {
            // Before MAIL FROM every failure is the relay failing or refusing us, never a reply about a message.
            return ConnectionCheck.failed((DeliveryOutcome.RelayRefused) SmtpOutcomes.connectFailed(e, SmtpConnection.lastCode(t),
                    SmtpConnection.lastReply(t)));
        } finally {
            SmtpConnection.closeQuietly(t); // QUIT
        }
    }

    /** "The mail server answered over STARTTLS and accepted the username and password." */
    private static String passed(SmtpSettings smtp, Transport t) {
        String tls = switch (smtp.tls()) {
            case NONE -> "without encryption";
            case STARTTLS -> "and upgraded to TLS (STARTTLS)";
            case TLS -> "over TLS";
        };
        boolean offersAuth = t instanceof org.eclipse.angus.mail.smtp.SMTPTransport s
                && (s.supportsExtension("AUTH") || s.supportsExtension("AUTH=LOGIN"));
        String auth = smtp.username() == null ? "; no login is set for this sender"
                : offersAuth ? " and accepted the username and password"
                : ", but it does not offer AUTH, so the username and password were not tried";
        return "The mail server answered " + tls + auth + ".";
    }

    /** The settings with the password opened ({@code refusal} null), or why this side will not use them. */
    private record Opened(SmtpSettings smtp, String refusal) {}

    private Opened opened(SmtpSettings stored) {
        if (stored.refusesPlaintextAuth()) {
            return new Opened(null, "AUTH over an unencrypted connection to " + stored.host() + " is refused, nothing is sent: "
                    + "use starttls or tls, or set smtp.allow_plaintext_auth");
        }
        try {
            return new Opened(passwords.open(stored), null);
        } catch (SecretSealer.SealedSecretUnreadable e) {
            // The reason names the key id at most, never the secret (I14).
            return new Opened(null, "SMTP password unusable, nothing is sent: " + e.getMessage());
        }
    }

    /**
     * A sender this side refuses before any connection (its password cannot be opened, or would go in clear):
     * nothing is sent, the sender waits like one the relay refused, and {@code why} becomes its last_error.
     */
    private record Refused(DeliveryOutcome.RelayRefused refusal) implements Connection {
        Refused(String why) {
            this(new DeliveryOutcome.RelayRefused(DeferReason.SENDER_REFUSED, 0, why));
        }

        @Override
        public DeliveryOutcome send(OutgoingMessage message) {
            return refusal;
        }

        @Override
        public void close() {
            // no connection was opened
        }
    }

    private Session session(SmtpSettings smtp) {
        String protocol = smtp.tls() == SmtpSettings.Tls.TLS ? "smtps" : "smtp";
        Properties p = new Properties();
        p.put("mail.transport.protocol", protocol);
        p.put("mail." + protocol + ".host", smtp.host());
        p.put("mail." + protocol + ".port", Integer.toString(smtp.port()));
        p.put("mail." + protocol + ".connectiontimeout", Integer.toString(timeoutMillis));
        p.put("mail." + protocol + ".timeout", Integer.toString(timeoutMillis));
        p.put("mail." + protocol + ".writetimeout", Integer.toString(timeoutMillis));
        p.put("mail." + protocol + ".auth", Boolean.toString(smtp.username() != null));
        if (smtp.tls() == SmtpSettings.Tls.STARTTLS) p.put("mail.smtp.starttls.required", "true");
        if (smtp.tls() == SmtpSettings.Tls.STARTTLS) p.put("mail.smtp.starttls.enable", "true");
        if (smtp.tls() != SmtpSettings.Tls.NONE) {
            // Angus's default too; said here because the trust store must never become "trust anything".
            p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
            // Angus uses this factory both for smtps and for the STARTTLS upgrade of "smtp".
            if (tlsSockets != null) p.put("mail." + protocol + ".ssl.socketFactory", tlsSockets);
        }
        return Session.getInstance(p);
    }

    private static final class SmtpConnection implements Connection {
        private final SmtpSettings smtp;
        private final Session session;
        private Transport transport;

        SmtpConnection(SmtpSettings smtp, Session session) {
            this.smtp = smtp;
            this.session = session;
        }

        @Override
        public DeliveryOutcome send(OutgoingMessage message) {
            TrackedMessage mime;
            try {
                mime = MessageRenderer.render(session, message);
            } catch (MessagingException e) {
                return new DeliveryOutcome.MessageRefused(0, "message could not be built: " + e.getMessage());
            }
            // isConnected() would cost a NOOP round trip per message; a broken connection is closed instead.
            boolean reused = transport != null;
            DeliveryOutcome outcome = attempt(mime);
            // A reused connection the server closed while idle fails before DATA: reconnect once.
            if (reused && outcome instanceof DeliveryOutcome.RelayRefused r && r.code() == 0) {
                closeQuietly();
                outcome = attempt(mime);
            }
            return outcome;
        }

        private DeliveryOutcome attempt(TrackedMessage mime) {
            if (transport == null) {
                Transport t = null;
                try {
                    t = session.getTransport();
                    t.connect(smtp.host(), smtp.port(), smtp.username(), smtp.password());
                    transport = t;
                } catch (MessagingException e) {
                    DeliveryOutcome refused = SmtpOutcomes.connectFailed(e, lastCode(t), lastReply(t));
                    closeQuietly(t);
                    return refused;
                }
            }
            try {
                transport.sendMessage(mime, mime.getAllRecipients());
                int code = lastCode(transport);
                return SmtpReplies.accepted(code >= 200 && code < 300 ? code : 250, lastReply(transport));
            } catch (MessagingException e) {
                DeliveryOutcome o = SmtpOutcomes.sendFailed(e, mime.bodyWritten());
                if (o.code() == 0) closeQuietly(); // the connection is broken; the next message opens a new one
                return o;
            }
        }

        static int lastCode(Transport t) {
            return t instanceof org.eclipse.angus.mail.smtp.SMTPTransport s ? s.getLastReturnCode() : 0;
        }

        static String lastReply(Transport t) {
            return t instanceof org.eclipse.angus.mail.smtp.SMTPTransport s ? s.getLastServerResponse() : null;
        }

        private void closeQuietly() {
            closeQuietly(transport);
            transport = null;
        }

        static void closeQuietly(Transport t) {
            if (t == null) return;
            try {
                t.close();
            } catch (MessagingException | RuntimeException ignored) {
                // closing a broken connection
            }
        }

        @Override
        public void close() {
            closeQuietly();
        }
    }
}
