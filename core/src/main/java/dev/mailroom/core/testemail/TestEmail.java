package dev.mailroom.core.testemail;

/**
 * A queued test email: rendered as the campaign would be for a recipient with no name and no vars.
 * {@code attempts} made so far; {@code suppressed} when its address is on the suppression list (I13).
 */
public record TestEmail(long id, String to, String subject, String html, String text, int attempts, boolean suppressed) {}
