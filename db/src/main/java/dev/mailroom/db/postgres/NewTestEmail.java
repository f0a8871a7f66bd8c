package dev.mailroom.db.postgres;

/** A validated test email; with a campaign, subject/html/text are copied from it (nothing is rendered here). */
public record NewTestEmail(long senderId, Long campaignId, String to, String subject, String html, String text) {}
