package dev.mailroom.web.api;

import dev.mailroom.core.error.InvalidInput;
import dev.mailroom.core.error.NotFound;
import dev.mailroom.core.quota.QuotaGate;
import dev.mailroom.core.sender.Sender;
import dev.mailroom.db.postgres.CampaignRow;
import dev.mailroom.db.postgres.JooqPollQueries;
import dev.mailroom.db.postgres.JooqSenderStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;

/**
 * GET /api/poll — what ops watch, read straight from campaign_queue (I4): the processing campaign, how
 * many wait, when the next can start, and why the queue waits (the head deferred row).
 */
public final class PollController {
    private final JooqPollQueries poll;
    private final JooqSenderStore senders;
    private final QuotaGate quota;
    private final Clock clock;

    public PollController(JooqPollQueries poll, JooqSenderStore senders, QuotaGate quota, Clock clock) {
        this.poll = poll;
        this.senders = senders;
        this.quota = quota;
        this.clock = clock;
    }

    record Active(long id, String name, String status, int total, int sent, int failed, int pending, int uncertain,
                  double progressPct, Instant startedAt, Instant lastBatchAt, int bounced, int complained,
                  int unsubscribed) {}

    record PollView(Instant serverTime, long senderId, boolean smtpEnabled, Active activeCampaign, int queuedCount,
                    Instant nextCampaignAt, String reasonCode, Instant nextRunAt, QuotaView quota) {}

    public void poll(Context ctx) {
        Instant now = clock.instant();
        Long requested = Requests.optionalLong(ctx, "sender_id");
        long senderId = requested != null ? requested : senders.onlySenderId().orElseThrow(
                () -> InvalidInput.of("sender_id", "is required unless there is exactly one sender"));
        Sender sender = senders.find(senderId).orElseThrow(() -> new NotFound("sender", senderId));
        Active active = poll.processing(senderId).map(PollController::active).orElse(null);
        JooqPollQueries.Waiting waiting = poll.waiting(senderId);
        Instant next = waiting.anyReady() ? now : waiting.earliestDeferredUntil();
        JooqPollQueries.HeadDeferral head = active == null ? poll.headDeferral(senderId).orElse(null) : null;
        ctx.json(new PollView(now, senderId, sender.enabled(), active, waiting.count(), next,
                head == null ? null : head.reason(), head == null ? null : head.until(),
                QuotaView.of(quota.usage(sender.quota(), now))));
    }

    private static Active active(CampaignRow r) {
        var c = r.counts();
        var rep = r.reputation();
        return new Active(r.id(), r.name(), r.status().wire(), c.total(), c.sent(), c.failed(), c.pending(),
                c.uncertain(), c.progressPct(), r.startedAt(), r.lastBatchAt(), rep.bounced(), rep.complained(),
                rep.unsubscribed());
    }
}
