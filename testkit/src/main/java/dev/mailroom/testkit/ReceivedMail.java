package dev.mailroom.testkit;

/** One message as {@link FaultySmtpServer} took it, per envelope recipient; {@code data} is the raw DATA. */
public record ReceivedMail(String from, String recipient, String messageId, String data) {}
