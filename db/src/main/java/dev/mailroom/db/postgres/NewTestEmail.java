package dev.mailroom.db.postgres;

/**
 * A validated test email; with a campaign, subject/html/text are copied from it (nothing is rendered here) and
 * {@code recipientId} names the campaign recipient whose data the worker renders it with (null: none).
 */
public record NewTestEmail(long senderId, Long campaignId, Long recipientId, String to, String subject, String html,
                           String text) {}
