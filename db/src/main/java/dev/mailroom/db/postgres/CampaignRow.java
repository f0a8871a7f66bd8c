package dev.mailroom.db.postgres;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.campaign.Controls;
import dev.mailroom.core.campaign.Counts;
import dev.mailroom.core.campaign.Reputation;
import java.time.Instant;

/** A campaign as the API shows it: its campaign row joined with its campaign_queue row. */
public record CampaignRow(long id, String name, long senderId, String subject, CampaignStatus status,
                          Counts counts, Controls controls, Instant createdAt, Instant queuedAt,
                          Instant startedAt, Instant finishedAt, Instant lastBatchAt,
                          String deferReason, Instant deferredUntil, Instant sendAt, Reputation reputation) {}
