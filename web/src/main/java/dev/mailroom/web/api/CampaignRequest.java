package dev.mailroom.web.api;

import java.time.Instant;
import java.util.List;

/** POST /api/campaigns; {@code sendAt} (optional) holds the campaign until then once it is queued. */
public record CampaignRequest(String name, Long senderId, String subject, String html, String text,
                              List<RecipientInput> recipients, Instant sendAt) {}
