package dev.mailroom.core.testemail;

import java.util.Map;

/**
 * A queued test email. {@code renderedAs} is the campaign recipient whose data fills its placeholders, as the
 * campaign's message for that recipient would be; null renders them empty (no campaign, or one that had no
 * recipient). {@code attempts} made so far; {@code suppressed} when its address is on the suppression list (I13).
 */
public record TestEmail(long id, String to, String subject, String html, String text, RenderedAs renderedAs,
                        int attempts, boolean suppressed) {

    /** The recipient's address, name and vars as stored for the campaign. */
    public record RenderedAs(long recipientId, String email, String name, Map<String, String> vars) {}
}
