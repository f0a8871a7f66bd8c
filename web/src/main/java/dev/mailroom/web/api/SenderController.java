package dev.mailroom.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.core.error.NotFound;
import dev.mailroom.core.quota.QuotaGate;
import dev.mailroom.core.sender.Sender;
import dev.mailroom.db.postgres.JooqSenderStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** Senders (admin writes), their quota figures and the provider's quota sync (I6). */
public final class SenderController {
    private final JooqSenderStore senders;
    private final QuotaGate quota;
    private final Requests requests;
    private final Clock clock;

    public SenderController(JooqSenderStore senders, QuotaGate quota, Requests requests, Clock clock) {
        this.senders = senders;
        this.quota = quota;
        this.requests = requests;
        this.clock = clock;
    }

    public record QuotaSync(Integer remaining, Instant syncedAt) {}

    public void create(Context ctx) throws Exception {
        SenderRequest r = requests.body(ctx, SenderRequest.class);
        Sender created = senders.create(SenderMapping.validate(0, r, null));
        ctx.status(201).json(SenderMapping.view(created));
    }

    public void list(Context ctx) {
        ctx.json(Map.of("items", senders.list().stream().map(SenderMapping::view).toList()));
    }

    public void get(Context ctx) {
        ctx.json(SenderMapping.view(load(Requests.id(ctx, "id"))));
    }

    /** Fields present in the body replace the stored ones; {@code smtp} merges field by field. */
    public void patch(Context ctx) throws Exception {
        Sender current = load(Requests.id(ctx, "id"));
        JsonNode patch = requests.tree(ctx);
        ObjectNode base = requests.mapper().valueToTree(SenderMapping.asRequest(current));
        patch.properties().forEach(e -> {
            if (e.getKey().equals("smtp") && e.getValue().isObject() && base.get("smtp").isObject()) {
                ((ObjectNode) base.get("smtp")).setAll((ObjectNode) e.getValue());
            } else {
                base.set(e.getKey(), e.getValue());
            }
        });
        SenderRequest merged = requests.mapper().treeToValue(base, SenderRequest.class);
        Sender updated = senders.update(SenderMapping.validate(current.id(), merged, current));
        ctx.json(SenderMapping.view(updated));
    }

    public void quotaSync(Context ctx) throws Exception {
        long id = Requests.id(ctx, "id");
        QuotaSync s = requests.body(ctx, QuotaSync.class);
        Validation v = new Validation();
        v.range("remaining", s.remaining(), 0, Integer.MAX_VALUE, true);
        if (s.syncedAt() == null) v.error("synced_at", "is required");
        v.throwIfAny();
        senders.recordQuotaSync(id, s.remaining(), s.syncedAt()); // its own count since then starts by itself
        ctx.json(SenderMapping.view(load(id)));
    }

    public void quota(Context ctx) {
        Sender s = load(Requests.id(ctx, "id"));
        ctx.json(QuotaView.of(quota.usage(s.quota(), clock.instant())));
    }

    private Sender load(long id) {
        return senders.find(id).orElseThrow(() -> new NotFound("sender", id));
    }
}
