package dev.mailroom.core.delivery;

import dev.mailroom.core.dkim.DkimSigningKey;

/**
 * A fully rendered message, ready for SMTP. {@code key} is the recipient or test-email id it belongs to.
 * {@code unsubscribeUrl} goes into List-Unsubscribe (I18); {@code envelopeFrom} is the SMTP envelope
 * sender, null for the From address; {@code dkim} signs it, null for unsigned mail.
 */
public record OutgoingMessage(long key, String messageId, String fromEmail, String fromName, String to,
                              String subject, String html, String text, String unsubscribeUrl, String envelopeFrom,
                              DkimSigningKey dkim) {

    /** A bare message: no unsubscribe link, the From address as envelope sender, unsigned. */
    public OutgoingMessage(long key, String messageId, String fromEmail, String fromName, String to, String subject,
                           String html, String text) {
        this(key, messageId, fromEmail, fromName, to, subject, html, text, null, null, null);
    }
}
