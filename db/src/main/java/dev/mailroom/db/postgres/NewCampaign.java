package dev.mailroom.db.postgres;

/** A validated campaign to create; its recipients come separately, as a stream. */
public record NewCampaign(String name, long senderId, String subject, String html, String text) {}
