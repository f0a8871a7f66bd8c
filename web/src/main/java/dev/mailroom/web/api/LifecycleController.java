package dev.mailroom.web.api;

import dev.mailroom.core.campaign.UserAction;
import dev.mailroom.db.postgres.JooqCampaignLifecycle;
import dev.mailroom.db.postgres.JooqCampaignReads;
import dev.mailroom.db.redis.RedisSignals;
import io.javalin.http.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * queue / pause / resume / cancel / retry-uncertain: the move is committed in PostgreSQL first, then
 * Redis hurries the workers along (a lost signal is caught by their periodic scan and status checks).
 */
public final class LifecycleController {
    private static final Logger log = LoggerFactory.getLogger(LifecycleController.class);

    private final JooqCampaignLifecycle lifecycle;
    private final JooqCampaignReads reads;
    private final RedisSignals signals;

    public LifecycleController(JooqCampaignLifecycle lifecycle, JooqCampaignReads reads, RedisSignals signals) {
        this.lifecycle = lifecycle;
        this.reads = reads;
        this.signals = signals;
    }

    public Handler handler(UserAction action) {
        return ctx -> {
            long id = Requests.id(ctx, "id");
            JooqCampaignLifecycle.Moved moved = lifecycle.apply(id, action);
            signal(action, moved);
            log.info("campaign {} {} -> {}", id, action.name().toLowerCase(), moved.status().wire());
            ctx.json(CampaignViews.view(reads.get(id)));
        };
    }

    private void signal(UserAction action, JooqCampaignLifecycle.Moved moved) {
        try {
            switch (action) {
                case QUEUE, RESUME, RETRY_UNCERTAIN -> signals.wake(moved.senderId());
                case PAUSE -> signals.control(moved.campaignId(), "pause");
                case CANCEL -> signals.control(moved.campaignId(), "cancel");
            }
        } catch (RuntimeException e) {
            log.warn("signal for campaign {} not published ({}); workers will notice on their next scan",
                    moved.campaignId(), e.getClass().getSimpleName());
        }
    }
}
