package dev.mailroom.worker.smtp;

import dev.mailroom.core.delivery.OutgoingMessage;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import java.security.GeneralSecurityException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Turns an outgoing message into what SMTPTransport sends: the envelope (its own envelope sender when it
 * has one, else the From address) plus MimeWriter's bytes, DKIM-signed when the sender signs.
 */
final class MessageRenderer {
    private MessageRenderer() {}

    static TrackedMessage render(Session session, OutgoingMessage m) throws MessagingException {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        byte[] bytes = MimeWriter.write(m, now);
        if (m.dkim() != null) {
            try {
                bytes = DkimSigner.sign(bytes, m.dkim(), now.toEpochSecond());
            } catch (GeneralSecurityException e) {
                throw new MessagingException("DKIM signing failed: " + e.getClass().getSimpleName());
            }
        }
        TrackedMessage msg = new TrackedMessage(session, bytes);
        msg.setFrom(new InternetAddress(m.fromEmail()));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(m.to()));
        // Per message, so one reused connection can carry a different VERP address in each MAIL FROM.
        if (m.envelopeFrom() != null) msg.setEnvelopeFrom(m.envelopeFrom());
        return msg;
    }
}
