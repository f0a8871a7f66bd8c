package dev.mailroom.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.campaign.UserAction;
import dev.mailroom.core.error.InvalidInput;
import dev.mailroom.db.postgres.JooqCampaignLifecycle;
import dev.mailroom.db.postgres.JooqCampaignReads;
import dev.mailroom.db.redis.RedisSignals;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * queue / pause / resume / cancel / retry-uncertain / retry-failed, and PATCH of when a campaign sends:
 * the move is committed in PostgreSQL first, with its audit row, then Redis hurries the workers along (a
 * lost signal is caught by their periodic scan and status checks).
 */
public final class LifecycleController {
    private static final Logger log = LoggerFactory.getLogger(LifecycleController.class);

    private final JooqCampaignLifecycle lifecycle;
    private final JooqCampaignReads reads;
    private final RedisSignals signals;
    private final Audit audit;
    private final Requests requests;

    public LifecycleController(JooqCampaignLifecycle lifecycle, JooqCampaignReads reads, RedisSignals signals,
                               Audit audit, Requests requests) {
        this.lifecycle = lifecycle;
        this.reads = reads;
        this.signals = signals;
        this.audit = audit;
        this.requests = requests;
    }

    public Handler handler(UserAction action) {
        return ctx -> {
            long id = Requests.id(ctx, "id");
            JooqCampaignLifecycle.Moved moved = audit.change(ctx, tx -> {
                JooqCampaignLifecycle.Moved m = lifecycle.in(tx).apply(id, action);
                return Audit.audited(m, "campaign." + action.name().toLowerCase(), "campaign", id,
                        Map.of("status", m.status().wire()));
            });
            signal(action, moved);
            log.info("campaign {} {} -> {}", id, action.name().toLowerCase(), moved.status().wire());
            ctx.json(CampaignViews.view(reads.get(id)));
        };
    }

    /** POST /api/campaigns/{id}/retry-failed → the campaign and {@code retried}, how many rows went back. */
    public void retryFailed(Context ctx) {
        long id = Requests.id(ctx, "id");
        JooqCampaignLifecycle.Retried r = audit.change(ctx, tx -> {
            JooqCampaignLifecycle.Retried retried = lifecycle.in(tx).retryFailed(id);
            return Audit.audited(retried, "campaign.retry_failed", "campaign", id,
                    Map.of("status", retried.moved().status().wire(), "retried", retried.retried()));
        });
        if (r.retried() > 0) signal(UserAction.RETRY_FAILED, r.moved());
        log.info("campaign {} retry-failed: {} recipients -> pending, campaign {}", id, r.retried(),
                r.moved().status().wire());
        ObjectNode body = requests.mapper().valueToTree(CampaignViews.view(reads.get(id)));
        body.put("retried", r.retried());
        ctx.json(body);
    }

    /** PATCH /api/campaigns/{id} {"send_at": "…" | null}: allowed while draft, queued, deferred or paused. */
    public void patch(Context ctx) throws Exception {
        long id = Requests.id(ctx, "id");
        JsonNode body = requests.tree(ctx);
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!"send_at".equals(name)) throw InvalidInput.of(name, "is not a field of a campaign that can be changed");
        }
        if (!body.has("send_at")) throw InvalidInput.of("send_at", "is required");
        Instant sendAt = sendAt(body.get("send_at"));
        JooqCampaignLifecycle.Moved moved = audit.change(ctx, tx -> {
            JooqCampaignLifecycle.Moved m = lifecycle.in(tx).schedule(id, sendAt);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("send_at", sendAt == null ? null : sendAt.toString());
            detail.put("status", m.status().wire());
            return Audit.audited(m, "campaign.schedule", "campaign", id, detail);
        });
        if (moved.status() == CampaignStatus.QUEUED) signal(UserAction.QUEUE, moved);
        log.info("campaign {} send_at {} -> {}", id, sendAt == null ? "cleared" : "set", moved.status().wire());
        ctx.json(CampaignViews.view(reads.get(id)));
    }

    private static Instant sendAt(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw InvalidInput.of("send_at", "must be an ISO-8601 time like 2026-11-23T16:00:00Z, or null");
        try {
            return OffsetDateTime.parse(v.asText().trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw InvalidInput.of("send_at", "must be an ISO-8601 time like 2026-11-23T16:00:00Z, or null");
        }
    }

    private void signal(UserAction action, JooqCampaignLifecycle.Moved moved) {
        try {
            switch (action) {
                case QUEUE, RESUME, RETRY_UNCERTAIN, RETRY_FAILED -> signals.wake(moved.senderId());
                case PAUSE -> signals.control(moved.campaignId(), "pause");
                case CANCEL -> signals.control(moved.campaignId(), "cancel");
            }
        } catch (RuntimeException e) {
            log.warn("signal for campaign {} not published ({}); workers will notice on their next scan",
                    moved.campaignId(), e.getClass().getSimpleName());
        }
    }
}
