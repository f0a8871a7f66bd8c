package dev.mailroom.core.testemail;

/** A queued test email: rendered as the campaign would be for a recipient with no name and no vars. */
public record TestEmail(long id, String to, String subject, String html, String text) {}
