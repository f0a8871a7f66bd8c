package dev.mailroom.web.api;

import dev.mailroom.core.campaign.Reputation;
import dev.mailroom.core.error.NotFound;
import dev.mailroom.core.sender.ComplaintRateAlert;
import dev.mailroom.db.postgres.JooqSenderReputation;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** GET /api/senders/{id}/reputation — the last seven days at a glance, and whether complaints need attention. */
public final class ReputationController {
    /** The reputation's window; the complaint-rate metrics look as far back. */
    public static final Duration WINDOW = Duration.ofDays(7);

    private final JooqSenderReputation reputation;
    private final ComplaintRateAlert alert;
    private final Clock clock;

    public ReputationController(JooqSenderReputation reputation, ComplaintRateAlert alert, Clock clock) {
        this.reputation = reputation;
        this.alert = alert;
        this.clock = clock;
    }

    record ReputationView(long senderId, int windowDays, Instant since, long sent, long bounced, long complained,
                          long unsubscribed, double bounceRate, double complaintRate, double unsubscribeRate,
                          double complaintRateThreshold, boolean alert) {}

    public void get(Context ctx) {
        long id = Requests.id(ctx, "id");
        Instant since = clock.instant().minus(WINDOW);
        var c = reputation.since(id, since).orElseThrow(() -> new NotFound("sender", id));
        ctx.json(new ReputationView(id, (int) WINDOW.toDays(), since, c.sent(), c.bounced(), c.complained(),
                c.unsubscribed(), Reputation.rate(c.bounced(), c.sent()), Reputation.rate(c.complained(), c.sent()),
                Reputation.rate(c.unsubscribed(), c.sent()), alert.threshold(), alert.raisedBy(c.complained(), c.sent())));
    }
}
