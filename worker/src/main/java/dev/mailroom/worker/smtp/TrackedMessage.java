package dev.mailroom.worker.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A MimeMessage that keeps its deterministic Message-ID and remembers whether its whole body went out
 * during DATA: a failure after that point is an ambiguous delivery (I7), one before it is not.
 */
final class TrackedMessage extends MimeMessage {
    private final String messageId;
    private volatile boolean bodyWritten;

    TrackedMessage(Session session, String messageId) {
        super(session);
        this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
        setHeader("Message-ID", messageId);
    }

    @Override
    public void writeTo(OutputStream os, String[] ignoreList) throws IOException, MessagingException {
        super.writeTo(os, ignoreList);
        bodyWritten = true;
    }

    boolean bodyWritten() {
        return bodyWritten;
    }
}
