package dev.mailroom.web.api;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.campaign.FinishEstimate;
import dev.mailroom.core.error.InvalidInput;
import dev.mailroom.core.error.NotFound;
import dev.mailroom.core.quota.QuotaGate;
import dev.mailroom.core.quota.QuotaUse;
import dev.mailroom.core.sender.Sender;
import dev.mailroom.db.postgres.CampaignRow;
import dev.mailroom.db.postgres.JooqCampaignRates;
import dev.mailroom.db.postgres.JooqCampaignRates.Bucket;
import dev.mailroom.db.postgres.JooqCampaignReads;
import dev.mailroom.db.postgres.JooqSenderStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * GET /api/campaigns/{id}/rates: sends per time bucket over the campaign's life, its average and recent
 * rate, and when it may finish — from what the workers recorded, not from what a page happened to see.
 */
public final class RatesController {
    static final int MAX_BUCKETS = 1440;
    private static final Duration RECENT = Duration.ofMinutes(5);
    private static final Set<CampaignStatus> MAY_FINISH = EnumSet.of(CampaignStatus.QUEUED, CampaignStatus.PROCESSING,
            CampaignStatus.DEFERRED);

    record RatesView(long campaignId, Instant serverTime, int bucketSeconds, List<Bucket> series, Double sentPerMinute,
                     Double recentPerMinute, int remaining, Instant eta, String etaLimitedBy) {}

    private final JooqCampaignReads reads;
    private final JooqCampaignRates rates;
    private final JooqSenderStore senders;
    private final QuotaGate quota;
    private final Clock clock;

    public RatesController(JooqCampaignReads reads, JooqCampaignRates rates, JooqSenderStore senders, QuotaGate quota, Clock clock) {
        this.reads = reads;
        this.rates = rates;
        this.senders = senders;
        this.quota = quota;
        this.clock = clock;
    }

    public void get(Context ctx) {
        long id = Requests.id(ctx, "id");
        Instant now = clock.instant();
        CampaignRow c = reads.get(id);
        int bucket = bucketSeconds(Requests.optionalLong(ctx, "bucket_seconds"), c.createdAt(), now);
        List<Bucket> series = rates.buckets(id, c.senderId(), c.createdAt(), bucket);
        Double lifeRate = lifeRate(series, bucket);
        int recentSent = rates.buckets(id, c.senderId(), now.minus(RECENT), 60).stream().mapToInt(Bucket::sent).sum();
        Double recentRate = c.status() == CampaignStatus.PROCESSING ? recentSent / (double) RECENT.toMinutes() : null;
        int remaining = c.counts().pending() + c.counts().sending();
        FinishEstimate eta = estimate(c, remaining, recentRate != null && recentRate > 0 ? recentRate : lifeRate, now);
        ctx.json(new RatesView(id, now, bucket, series, lifeRate, recentRate, remaining, eta == null ? null : eta.at(),
                eta == null ? null : eta.limitedBy().wire()));
    }

    /** Sent per minute from the first bucket with an attempt to the end of the last (at least a minute). */
    private static Double lifeRate(List<Bucket> series, int bucket) {
        if (series.isEmpty()) return null;
        long seconds = Duration.between(series.getFirst().start(), series.getLast().start()).toSeconds() + bucket;
        int sent = series.stream().mapToInt(Bucket::sent).sum();
        return sent / Math.max(1.0, seconds / 60.0);
    }

    private FinishEstimate estimate(CampaignRow c, int remaining, Double perMinute, Instant now) {
        if (!MAY_FINISH.contains(c.status()) || perMinute == null) return null;
        Sender s = senders.find(c.senderId()).orElseThrow(() -> new NotFound("sender", c.senderId()));
        Instant start = c.deferredUntil() != null && c.deferredUntil().isAfter(now) ? c.deferredUntil() : now;
        long usedThisHour = quota.usage(s.quota(), now).hourUsed();
        // A campaign's hour ends at the limit less the test emails' reserve (the reserve's own use is counted too).
        return FinishEstimate.of(remaining, perMinute, s.quota().hourCeiling(QuotaUse.CAMPAIGN), usedThisHour, s.window(),
                s.quotaZone(), start);
    }

    /** The asked bucket (60 s by default), widened to whole minutes until the campaign's life fits in MAX_BUCKETS. */
    static int bucketSeconds(Long asked, Instant since, Instant now) {
        if (asked != null && (asked < 60 || asked > 86_400)) throw InvalidInput.of("bucket_seconds", "must be between 60 and 86400");
        long bucket = asked == null ? 60 : asked;
        long span = Math.max(0, Duration.between(since, now).toSeconds());
        long needed = (span + MAX_BUCKETS - 1) / MAX_BUCKETS;
        if (needed > bucket) bucket = (needed + 59) / 60 * 60;
        return (int) bucket;
    }
}
