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

    private static final java.util.Set<String> PATCHABLE = java.util.Set.of("name", "subject", "html", "text", "sender_id", "send_at");

    /**
     * PATCH /api/campaigns/{id}: {@code send_at} while draft, queued, deferred or paused; {@code name},
     * {@code subject}, {@code html}, {@code text} and {@code sender_id} while it is a draft (409 after). Fields
     * left out keep their value; all or nothing.
     */
    public void patch(Context ctx) throws Exception {
        long id = Requests.id(ctx, "id");
        JsonNode body = requests.tree(ctx);
        Validation v = new Validation();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!PATCHABLE.contains(name)) v.error(name, "is not a field of a campaign that can be changed");
        }
        v.throwIfAny();
        if (body.isEmpty()) throw InvalidInput.of("send_at", "name at least one of " + String.join(", ", new java.util.TreeSet<>(PATCHABLE)));
        JooqCampaignLifecycle.DraftEdit edit = draftEdit(body, v);
        v.throwIfAny();
        boolean schedules = body.has("send_at");
        Instant sendAt = schedules ? sendAt(body.get("send_at")) : null;
        JooqCampaignLifecycle.Moved moved = audit.change(ctx, tx -> {
            JooqCampaignLifecycle scoped = lifecycle.in(tx);
            Map<String, Object> detail = new LinkedHashMap<>();
            JooqCampaignLifecycle.Moved m = null;
            if (!edit.isEmpty()) {
                m = scoped.edit(id, edit);
                detail.put("fields", body.properties().stream().map(Map.Entry::getKey).filter(f -> !f.equals("send_at")).sorted().toList());
            }
            if (schedules) {
                m = scoped.schedule(id, sendAt);
                detail.put("send_at", sendAt == null ? null : sendAt.toString());
            }
            detail.put("status", m.status().wire());
            return Audit.audited(m, edit.isEmpty() ? "campaign.schedule" : "campaign.edit", "campaign", id, detail);
        });
        if (moved.status() == CampaignStatus.QUEUED) signal(UserAction.QUEUE, moved);
        log.info("campaign {} patched ({}) -> {}", id, edit.isEmpty() ? "send_at" : "draft", moved.status().wire());
        ctx.json(CampaignViews.view(reads.get(id)));
    }

    /** The draft fields of a PATCH, checked as a new campaign's are. */
    private static JooqCampaignLifecycle.DraftEdit draftEdit(JsonNode body, Validation v) {
        String name = body.has("name") ? v.header("name", v.required("name", text(body, "name", v), 500)) : null;
        String subject = body.has("subject") ? v.header("subject", v.required("subject", text(body, "subject", v), 998)) : null;
        Long senderId = null;
        if (body.has("sender_id")) {
            if (body.get("sender_id").canConvertToLong() && body.get("sender_id").isIntegralNumber()) senderId = body.get("sender_id").asLong();
            else v.error("sender_id", "must be a sender's id");
        }
        var html = body.has("html") ? new JooqCampaignLifecycle.DraftEdit.Body(text(body, "html", v)) : null;
        var text = body.has("text") ? new JooqCampaignLifecycle.DraftEdit.Body(text(body, "text", v)) : null;
        return new JooqCampaignLifecycle.DraftEdit(name, subject, senderId, html, text);
    }

    /** A string field's value (null for JSON null); anything else is an error. */
    private static String text(JsonNode body, String field, Validation v) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) {
            v.error(field, "must be a string");
            return null;
        }
        return n.asText();
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
