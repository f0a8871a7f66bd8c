package dev.mailroom.web.api;

import dev.mailroom.core.error.NotFound;
import dev.mailroom.db.postgres.JooqSuppressionStore;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;

/** I13: the suppression list, keyed by the normalised address. */
public final class SuppressionController {
    private static final Set<String> REASONS = Set.of("hard_bounce", "complaint", "manual", "unsubscribe");

    private final JooqSuppressionStore suppressions;
    private final Audit audit;
    private final Requests requests;

    public SuppressionController(JooqSuppressionStore suppressions, Audit audit, Requests requests) {
        this.suppressions = suppressions;
        this.audit = audit;
        this.requests = requests;
    }

    public record SuppressionRequest(String email, String reason) {}

    public void list(Context ctx) {
        ctx.json(PageView.of(suppressions.list(Requests.cursor(ctx), Requests.limit(ctx)), r -> r));
    }

    public void add(Context ctx) throws Exception {
        SuppressionRequest r = requests.body(ctx, SuppressionRequest.class);
        Validation v = new Validation();
        String email = v.email("email", r.email());
        String reason = r.reason() == null ? "manual" : r.reason();
        if (!REASONS.contains(reason)) v.error("reason", "must be one of " + String.join(", ", REASONS));
        v.throwIfAny();
        // The address is the target: "who removed this suppression" needs it. Nothing else about the person.
        ctx.status(201).json(audit.change(ctx, tx -> Audit.audited(new JooqSuppressionStore(tx).add(email, reason),
                "suppression.add", "suppression", email, Map.of("reason", reason))));
    }

    public void remove(Context ctx) {
        Validation v = new Validation();
        String email = v.email("email", ctx.pathParam("email"));
        v.throwIfAny();
        audit.change(ctx, tx -> {
            if (!new JooqSuppressionStore(tx).remove(email)) throw new NotFound("suppression", "for this address");
            return Audit.audited(true, "suppression.remove", "suppression", email, Map.of());
        });
        ctx.status(204);
    }
}
