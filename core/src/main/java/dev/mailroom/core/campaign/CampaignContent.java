package dev.mailroom.core.campaign;

/** The templates a campaign renders for each recipient. */
public record CampaignContent(String subject, String html, String text) {}
