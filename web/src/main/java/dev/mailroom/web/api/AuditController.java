package dev.mailroom.web.api;

import dev.mailroom.db.postgres.JooqAuditTrail;
import io.javalin.http.Context;

/** GET /api/audit (admin): the trail, newest first, optionally of one target or one key. */
public final class AuditController {
    private final JooqAuditTrail trail;

    public AuditController(JooqAuditTrail trail) {
        this.trail = trail;
    }

    public void list(Context ctx) {
        String targetType = blankToNull(ctx.queryParam("target_type"));
        String targetId = blankToNull(ctx.queryParam("target_id"));
        ctx.json(PageView.of(trail.list(targetType, targetId, Requests.optionalLong(ctx, "key_id"),
                Requests.longCursor(ctx), Requests.limit(ctx)), r -> r));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
