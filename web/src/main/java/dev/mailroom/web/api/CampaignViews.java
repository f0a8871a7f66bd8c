package dev.mailroom.web.api;

import dev.mailroom.core.campaign.Controls;
import dev.mailroom.core.campaign.Counts;
import dev.mailroom.db.postgres.CampaignRow;
import java.time.Instant;

/** The JSON shapes of a campaign: the full view and the progress view (API.md). */
final class CampaignViews {
    private CampaignViews() {}

    record CampaignView(long id, String name, long senderId, String subject, String status, int total, int pending,
                        int sending, int sent, int failed, int uncertain, int suppressed, double progressPct,
                        Instant createdAt, Instant queuedAt, Instant startedAt, Instant finishedAt,
                        Instant lastBatchAt, String deferReason, Instant deferredUntil, Controls controls,
                        int bounced, int complained, int unsubscribed) {}

    record ProgressView(long id, String status, int total, int pending, int sending, int sent, int failed,
                        int uncertain, int suppressed, double progressPct, String deferReason, Instant deferredUntil,
                        Instant startedAt, Instant finishedAt, Instant lastBatchAt, Controls controls) {}

    record Created(long id, String status, int total) {}

    static CampaignView view(CampaignRow r) {
        Counts c = r.counts();
        return new CampaignView(r.id(), r.name(), r.senderId(), r.subject(), r.status().wire(), c.total(),
                c.pending(), c.sending(), c.sent(), c.failed(), c.uncertain(), c.suppressed(), c.progressPct(),
                r.createdAt(), r.queuedAt(), r.startedAt(), r.finishedAt(), r.lastBatchAt(), r.deferReason(),
                r.deferredUntil(), r.controls(), r.reputation().bounced(), r.reputation().complained(),
                r.reputation().unsubscribed());
    }

    static ProgressView progress(CampaignRow r) {
        Counts c = r.counts();
        return new ProgressView(r.id(), r.status().wire(), c.total(), c.pending(), c.sending(), c.sent(), c.failed(),
                c.uncertain(), c.suppressed(), c.progressPct(), r.deferReason(), r.deferredUntil(), r.startedAt(),
                r.finishedAt(), r.lastBatchAt(), r.controls());
    }
}
