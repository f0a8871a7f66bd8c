package dev.mailroom.web.api;

import dev.mailroom.core.campaign.Controls;
import dev.mailroom.core.campaign.Counts;
import dev.mailroom.core.campaign.Reputation;
import dev.mailroom.db.postgres.CampaignRow;
import java.time.Instant;

/** The JSON shapes of a campaign: the full view and the progress view (API.md). */
final class CampaignViews {
    private CampaignViews() {}

    record CampaignView(long id, String name, long senderId, String subject, String status, int total, int pending,
                        int sending, int sent, int failed, int uncertain, int suppressed, double progressPct,
                        Instant createdAt, Instant queuedAt, Instant startedAt, Instant finishedAt,
                        Instant lastBatchAt, String deferReason, Instant deferredUntil, Controls controls,
                        Instant sendAt, int bounced, int complained, int unsubscribed, double bounceRate,
                        double complaintRate, double unsubscribeRate) {}

    record ProgressView(long id, String status, int total, int pending, int sending, int sent, int failed,
                        int uncertain, int suppressed, double progressPct, String deferReason, Instant deferredUntil,
                        Instant startedAt, Instant finishedAt, Instant lastBatchAt, Controls controls,
                        Instant sendAt, int bounced, int complained, int unsubscribed, double bounceRate,
                        double complaintRate, double unsubscribeRate) {}

    record Created(long id, String status, int total) {}

    static CampaignView view(CampaignRow r) {
        Counts c = r.counts();
        Reputation rep = r.reputation();
        return new CampaignView(r.id(), r.name(), r.senderId(), r.subject(), r.status().wire(), c.total(),
                c.pending(), c.sending(), c.sent(), c.failed(), c.uncertain(), c.suppressed(), c.progressPct(),
                r.createdAt(), r.queuedAt(), r.startedAt(), r.finishedAt(), r.lastBatchAt(), r.deferReason(),
                r.deferredUntil(), r.controls(), r.sendAt(), rep.bounced(), rep.complained(), rep.unsubscribed(),
                rep.bounceRate(c.sent()), rep.complaintRate(c.sent()), rep.unsubscribeRate(c.sent()));
    }

    static ProgressView progress(CampaignRow r) {
        Counts c = r.counts();
        Reputation rep = r.reputation();
        return new ProgressView(r.id(), r.status().wire(), c.total(), c.pending(), c.sending(), c.sent(), c.failed(),
                c.uncertain(), c.suppressed(), c.progressPct(), r.deferReason(), r.deferredUntil(), r.startedAt(),
                r.finishedAt(), r.lastBatchAt(), r.controls(), r.sendAt(), rep.bounced(), rep.complained(),
                rep.unsubscribed(), rep.bounceRate(c.sent()), rep.complaintRate(c.sent()),
                rep.unsubscribeRate(c.sent()));
    }
}
