package dev.mailroom.db.postgres;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.campaign.Controls;
import dev.mailroom.core.campaign.Counts;
import java.time.Instant;

/** A campaign as the API shows it: its campaign row joined with its campaign_queue row. */
public record CampaignRow(long id, String name, long senderId, String subject, CampaignStatus status,
                          Counts counts, Controls controls, Instant createdAt, Instant queuedAt,
                          Instant startedAt, Instant finishedAt, Instant lastBatchAt,
                          String deferReason, Instant deferredUntil, Reputation reputation) {

    /**
     * What recipients did after delivery, shown beside the delivery counts and never part of them: how many
     * bounced later, complained or unsubscribed (each recipient once).
     */
    public record Reputation(int bounced, int complained, int unsubscribed) {}
}
