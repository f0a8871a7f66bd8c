package dev.mailroom.worker.smtp;

import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.RelayFault;
import dev.mailroom.core.delivery.SmtpReplies;
import dev.mailroom.core.delivery.SmtpStage;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Turns Angus's exceptions into outcomes: the exception type tells the SMTP stage (AUTH, MAIL FROM, RCPT,
 * DATA), the server's own reply line the rest; {@link SmtpReplies} decides what it means (I15). When the
 * server never answered with a code, the outcome names the fault ({@link RelayFault}: refused, timed out,
 * TLS, DNS, …) and says it in our words: an exception's text can quote whatever the peer sent (a banner of
 * a service that is no SMTP server), and what we keep is shown by the API.
 */
final class SmtpOutcomes {
    private SmtpOutcomes() {}

    /** A failure while connecting: greeting, STARTTLS, AUTH. {@code lastCode}/{@code lastReply}: the server's last answer. */
    static DeliveryOutcome connectFailed(MessagingException e, int lastCode, String lastReply) {
        if (e instanceof AuthenticationFailedException) {
            int code = lastCode > 0 ? lastCode : leadingCode(e.getMessage());
            return SmtpReplies.refusal(SmtpStage.AUTH, code > 0 ? code : 535, e.getMessage());
        }
        if (lastCode >= 400) return SmtpReplies.refusal(SmtpStage.CONNECT, lastCode, lastReply);
        Cause cause = cause(e, RelayFault.CONNECTION_FAILED, "the connection failed");
        return SmtpReplies.noAnswer(false, cause.fault(), "cannot connect: " + cause.words());
    }

    /** A failure while sending one message over an open connection. */
    static DeliveryOutcome sendFailed(MessagingException e, boolean bodyWritten) {
        MessagingException answered = serverAnswer(e);
        if (answered != null) return SmtpReplies.refusal(stage(answered), returnCode(answered), answered.getMessage());
        // No SMTP answer: the connection broke. After the whole body went out we cannot know.
        Cause cause = cause(e, RelayFault.CONNECTION_CLOSED, "no answer");
        return SmtpReplies.noAnswer(bodyWritten, cause.fault(), (bodyWritten ? "connection lost after the message was sent: "
                : "connection lost: ") + cause.words());
    }

    /** A failure without an SMTP answer: its named fault, and our words for it (never the exception's text). */
    record Cause(RelayFault fault, String words) {}

    /** What kind of failure this was, from the exception types in the chain (and Angus's own wording of two). */
    static Cause cause(Exception e, RelayFault otherwise, String otherwiseWords) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof java.net.UnknownHostException) return new Cause(RelayFault.UNKNOWN_HOST, "host not found");
            if (t instanceof java.net.ConnectException) return new Cause(RelayFault.CONNECTION_REFUSED, "connection refused");
            if (t instanceof java.net.NoRouteToHostException) return new Cause(RelayFault.NETWORK_UNREACHABLE, "no route to host");
            if (t instanceof java.net.SocketTimeoutException) return new Cause(RelayFault.CONNECTION_TIMEOUT, "timed out");
            if (t instanceof javax.net.ssl.SSLException) {
                return new Cause(RelayFault.TLS_FAILED, "TLS handshake failed (certificate or host name not trusted)");
            }
            if (t instanceof java.net.SocketException || t instanceof java.io.EOFException) {
                return new Cause(RelayFault.CONNECTION_CLOSED, "the connection was closed");
            }
            String m = t.getMessage();
            if (m != null && m.startsWith("Got bad greeting")) return new Cause(RelayFault.NOT_SMTP, "the server's greeting is not SMTP");
            if (m != null && m.startsWith("STARTTLS is required")) {
                return new Cause(RelayFault.TLS_FAILED, "STARTTLS is required but the server does not offer it");
            }
        }
        return new Cause(otherwise, otherwiseWords);
    }

    private static Throwable next(Throwable t) {
        if (t instanceof MessagingException m && m.getNextException() != null) return m.getNextException();
        return t.getCause();
    }

    private static SmtpStage stage(MessagingException answered) {
        if (answered instanceof SMTPAddressFailedException) return SmtpStage.RCPT;
        if (answered instanceof SMTPSenderFailedException) return SmtpStage.MAIL;
        return SmtpStage.DATA;
    }

    /** The innermost exception carrying an SMTP reply (Angus nests the per-address one). */
    private static MessagingException serverAnswer(MessagingException e) {
        MessagingException found = null;
        for (Exception x = e; x != null; x = x instanceof MessagingException m ? m.getNextException() : null) {
            if (x instanceof MessagingException m && returnCode(m) > 0) found = m;
        }
        return found;
    }

    private static int returnCode(MessagingException x) {
        if (x instanceof SMTPAddressFailedException a) return a.getReturnCode();
        if (x instanceof SMTPSenderFailedException s) return s.getReturnCode();
        if (x instanceof SMTPSendFailedException s) return s.getReturnCode();
        return 0;
    }

    private static int leadingCode(String reply) {
        if (reply == null || reply.length() < 3) return 0;
        try {
            return Integer.parseInt(reply.substring(0, 3));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
