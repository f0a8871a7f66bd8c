package dev.mailroom.web.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.mailroom.core.bounce.BounceType;
import dev.mailroom.core.bounce.LaterBounces;
import dev.mailroom.db.postgres.JooqBounceStore;
import io.javalin.http.Context;

/**
 * Bounces and complaints reported by a provider after delivery. Recorded always; acted on only when they
 * match a message we sent (I13: a refused mailbox or a complaint suppresses, I15 decides which is which).
 */
public final class BounceController {
    private final JooqBounceStore bounces;
    private final Requests requests;

    public BounceController(JooqBounceStore bounces, Requests requests) {
        this.bounces = bounces;
        this.requests = requests;
    }

    /** A provider's payload: fields we do not use are ignored, not refused (API.md). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BounceRequest(String messageId, String email, String type, Integer smtpCode, String diagnostic) {}

    public void report(Context ctx) throws Exception {
        BounceRequest r = requests.body(ctx, BounceRequest.class);
        Validation v = new Validation();
        String email = v.email("email", r.email());
        String type = v.required("type", r.type(), 16);
        if (type != null && BounceType.ofWire(type).isEmpty()) v.error("type", "must be hard, soft or complaint");
        v.range("smtp_code", r.smtpCode(), 200, 599, false);
        if (r.messageId() != null && r.messageId().length() > 998) v.error("message_id", "is too long");
        if (r.diagnostic() != null && r.diagnostic().length() > 4000) v.error("diagnostic", "must be at most 4000 characters");
        v.throwIfAny();
        var bounce = LaterBounces.reported(email, BounceType.ofWire(type).orElseThrow(), r.smtpCode(), r.diagnostic());
        ctx.status(202).json(bounces.record(JooqBounceStore.Origin.api(), bounce, null, r.messageId()));
    }
}
