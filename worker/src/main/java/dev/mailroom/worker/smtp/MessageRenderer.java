package dev.mailroom.worker.smtp;

import dev.mailroom.core.delivery.OutgoingMessage;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** Turns an outgoing message into what SMTPTransport sends: the envelope plus MimeWriter's bytes. */
final class MessageRenderer {
    private MessageRenderer() {}

    static TrackedMessage render(Session session, OutgoingMessage m) throws MessagingException {
        TrackedMessage msg = new TrackedMessage(session, MimeWriter.write(m, ZonedDateTime.now(ZoneOffset.UTC)));
        msg.setFrom(new InternetAddress(m.fromEmail()));
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(m.to()));
        return msg;
    }
}
