package dev.mailroom.db.postgres;

import java.time.Instant;

/** A validated campaign to create; its recipients come separately, as a stream. {@code sendAt} may be null. */
public record NewCampaign(String name, long senderId, String subject, String html, String text, Instant sendAt) {
    public NewCampaign(String name, long senderId, String subject, String html, String text) {
        this(name, senderId, subject, html, text, null);
    }
}
