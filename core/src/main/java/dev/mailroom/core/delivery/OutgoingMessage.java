package dev.mailroom.core.delivery;

/** A fully rendered message, ready for SMTP. {@code key} is the recipient or test-email id it belongs to. */
public record OutgoingMessage(long key, String messageId, String fromEmail, String fromName, String to,
                              String subject, String html, String text) {}
