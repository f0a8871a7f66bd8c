package dev.mailroom.worker.smtp;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.angus.mail.smtp.SMTPMessage;

/**
 * The message as handed to Angus's SMTPTransport: it carries the envelope (From or its own envelope sender,
 * To) and writes the bytes MimeWriter built, and it remembers whether the whole body went out during DATA: a failure after that
 * point is an ambiguous delivery (I7), one before it is not.
 */
final class TrackedMessage extends SMTPMessage {
    private final byte[] bytes;
    private volatile boolean bodyWritten;

    TrackedMessage(Session session, byte[] bytes) {
        super(session);
        this.bytes = bytes;
    }

    @Override
    public void writeTo(OutputStream os, String[] ignoreList) throws IOException, MessagingException {
        os.write(bytes);
        os.flush();
        bodyWritten = true;
    }

    @Override
    public int getSize() {
        return bytes.length;
    }

    boolean bodyWritten() {
        return bodyWritten;
    }
}
