package dev.mailroom.worker.smtp;

import dev.mailroom.core.delivery.OutgoingMessage;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;

/** Builds the MIME message: text, HTML, or multipart/alternative with both. */
final class MessageRenderer {
    private MessageRenderer() {}

    static TrackedMessage render(Session session, OutgoingMessage m) throws MessagingException {
        TrackedMessage msg = new TrackedMessage(session, m.messageId());
        try {
            msg.setFrom(new InternetAddress(m.fromEmail(), m.fromName(), StandardCharsets.UTF_8.name()));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
        msg.setRecipient(Message.RecipientType.TO, new InternetAddress(m.to()));
        msg.setSubject(m.subject(), StandardCharsets.UTF_8.name());
        msg.setSentDate(new Date());
        if (m.html() != null && m.text() != null) {
            MimeMultipart alt = new MimeMultipart("alternative");
            MimeBodyPart text = new MimeBodyPart();
            text.setText(m.text(), StandardCharsets.UTF_8.name());
            MimeBodyPart html = new MimeBodyPart();
            html.setContent(m.html(), "text/html; charset=UTF-8");
            alt.addBodyPart(text);
            alt.addBodyPart(html);
            msg.setContent(alt);
        } else if (m.html() != null) {
            msg.setContent(m.html(), "text/html; charset=UTF-8");
        } else {
            msg.setText(m.text() == null ? "" : m.text(), StandardCharsets.UTF_8.name());
        }
        msg.saveChanges();
        return msg;
    }
}
