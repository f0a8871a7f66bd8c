package dev.mailroom.web.api;

import dev.mailroom.core.error.InvalidInput;
import dev.mailroom.core.error.NotFound;
import dev.mailroom.core.quota.QuotaGate;
import dev.mailroom.core.quota.QuotaUsage;
import dev.mailroom.db.postgres.JooqPollQueries;
import dev.mailroom.db.postgres.JooqPollQueries.SenderPoll;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * GET /api/poll — what ops watch, read straight from campaign_queue (I4): the processing campaign, how
 * many wait, when the next can start, and why the queue waits (the head deferred row). Many pollers share
 * one read per sender every {@link #SNAPSHOT_MAX_AGE_NANOS} (see {@link PollSnapshots}): one statement in
 * PostgreSQL and one MGET in Redis. {@code server_time} is the request's time, {@code as_of} the read's.
 */
public final class PollController {
    /** API.md: a shared per-sender snapshot refreshed at most every 250 ms. */
    public static final long SNAPSHOT_MAX_AGE_NANOS = 250_000_000L;

    private final PollSnapshots<Requested, Read> snapshots;
    private final Clock clock;

    public PollController(JooqPollQueries poll, QuotaGate quota, Clock clock) {
        this(new PollSnapshots<>(loader(poll, quota), SNAPSHOT_MAX_AGE_NANOS, System::nanoTime), clock);
    }

    PollController(PollSnapshots<Requested, Read> snapshots, Clock clock) {
        this.snapshots = snapshots;
        this.clock = clock;
    }

    /** The sender a poll asks for; a null id means "the only sender". */
    record Requested(Long senderId) {}

    /** One read: the senders the statement found (one when the request is answerable) and that sender's quota. */
    record Read(Instant asOf, List<SenderPoll> senders, QuotaUsage quota) implements PollSnapshots.Snapshot {
        /** The quota hour shown ends: read again rather than show last hour's figures. */
        @Override
        public Instant staleAfter() {
            return quota == null ? null : quota.hourResetsAt();
        }
    }

    record Active(long id, String name, String status, int total, int sent, int failed, int pending, int uncertain,
                  double progressPct, Instant startedAt, Instant lastBatchAt, int bounced, int complained,
                  int unsubscribed) {}

    record PollView(Instant serverTime, long senderId, boolean smtpEnabled, Active activeCampaign, int queuedCount,
                    Instant nextCampaignAt, String reasonCode, Instant nextRunAt, QuotaView quota, Instant asOf) {}

    static PollSnapshots.Loader<Requested, Read> loader(JooqPollQueries poll, QuotaGate quota) {
        return (requested, now) -> {
            List<SenderPoll> senders = poll.senderPolls(requested.senderId());
            QuotaUsage usage = senders.size() == 1 ? quota.usage(senders.get(0).quota(), now) : null;
            return new Read(now, senders, usage);
        };
    }

    /** Whether a request this process served may have changed what polls show: an API write that succeeded. */
    public static boolean changesPolls(HandlerType method, HttpStatus status, String path) {
        boolean write = !method.equals(HandlerType.GET) && !method.equals(HandlerType.HEAD) && !method.equals(HandlerType.OPTIONS);
        return write && status.isSuccess() && path.startsWith("/api/");
    }

    /** Drops the shared snapshots, so a write this process served shows on its next poll. */
    public void forgetSnapshots() {
        snapshots.clear();
    }

    public void poll(Context ctx) {
        Instant now = clock.instant();
        Long requested = Requests.optionalLong(ctx, "sender_id");
        Read read = snapshots.get(new Requested(requested), now);
        if (read.senders().size() != 1) {
            if (requested != null) throw new NotFound("sender", requested);
            throw InvalidInput.of("sender_id", "is required unless there is exactly one sender");
        }
        SenderPoll s = read.senders().get(0);
        Active active = s.active() == null ? null : active(s.active());
        JooqPollQueries.Waiting waiting = s.waiting();
        Instant next = waiting.anyReady() ? now : waiting.earliestDeferredUntil();
        JooqPollQueries.HeadDeferral head = active == null ? s.head() : null;
        ctx.json(new PollView(now, s.senderId(), s.enabled(), active, waiting.count(), next,
                head == null ? null : head.reason(), head == null ? null : head.until(), QuotaView.of(read.quota()),
                read.asOf()));
    }

    private static Active active(JooqPollQueries.Active a) {
        var c = a.counts();
        var rep = a.reputation();
        return new Active(a.id(), a.name(), a.status(), c.total(), c.sent(), c.failed(), c.pending(), c.uncertain(),
                c.progressPct(), a.startedAt(), a.lastBatchAt(), rep.bounced(), rep.complained(), rep.unsubscribed());
    }
}
