package dev.mailroom.web.api;

import java.util.List;

/** POST /api/campaigns. */
public record CampaignRequest(String name, Long senderId, String subject, String html, String text,
                              List<RecipientInput> recipients) {}
