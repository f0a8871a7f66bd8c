package dev.mailroom.web.api;

import dev.mailroom.core.error.NotFound;
import dev.mailroom.core.net.EgressPolicy;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.webhook.WebhookCall;
import dev.mailroom.db.postgres.JooqWebhookStore;
import io.javalin.http.Context;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Webhook endpoints and their delivery log. The secret is accepted once, sealed before it is stored (I19)
 * and never shown again. A URL whose host is an address (or {@code localhost}) the egress policy refuses is
 * refused here; a host name is checked by the worker against what it resolves to, at each delivery.
 */
public final class WebhookController {
    private static final Set<String> EVENTS = Set.of("delivered", "bounced", "failed", "deferred", "campaign.finished",
            "sender.relay_failed", "unsubscribed", "sender.complaint_rate");

    private final JooqWebhookStore webhooks;
    private final Requests requests;
    private final SecretSealer sealer;
    private final EgressPolicy egress;
    private final Audit audit;

    public WebhookController(JooqWebhookStore webhooks, Requests requests, SecretSealer sealer, EgressPolicy egress,
                             Audit audit) {
        this.webhooks = webhooks;
        this.requests = requests;
        this.sealer = sealer;
        this.egress = egress;
        this.audit = audit;
    }

    public record WebhookRequest(String url, String secret, List<String> events) {}

    public void create(Context ctx) throws Exception {
        WebhookRequest r = requests.body(ctx, WebhookRequest.class);
        Validation v = new Validation();
        String url = v.required("url", r.url(), 2000);
        URI uri = url == null ? null : httpUrl(url);
        if (url != null && uri == null) v.error("url", "must be an absolute http or https URL, without user:password@");
        if (uri != null) egress.refusalWithoutDns(uri.getHost()).ifPresent(why -> v.error("url",
                "egress refused: " + why + "; MAILROOM_EGRESS_ALLOW can open it"));
        String secret = v.required("secret", r.secret(), 500);
        if (secret != null && secret.length() < 8) v.error("secret", "must be at least 8 characters");
        Set<String> events = new LinkedHashSet<>();
        if (r.events() == null || r.events().isEmpty()) v.error("events", "name at least one event");
        else for (String e : r.events()) {
            if (EVENTS.contains(e)) events.add(e);
            else v.error("events", "unknown event '" + e + "'; known: " + String.join(", ", EVENTS));
        }
        v.throwIfAny();
        String sealed = sealer.seal(secret, WebhookCall.SECRET_SEAL_PURPOSE);
        String host = uri.getHost();
        // The audit keeps the URL's host only: a path or query may carry the receiver's own token.
        ctx.status(201).json(audit.change(ctx, tx -> {
            JooqWebhookStore.Endpoint e = new JooqWebhookStore(tx).create(url, sealed, List.copyOf(events));
            return Audit.audited(e, "webhook.create", "webhook", e.id(),
                    Map.of("host", host, "events", e.events()));
        }));
    }

    public void list(Context ctx) {
        ctx.json(new PageView<>(webhooks.list(), null));
    }

    public void delete(Context ctx) {
        long id = Requests.id(ctx, "id");
        audit.change(ctx, tx -> {
            if (!new JooqWebhookStore(tx).delete(id)) throw new NotFound("webhook", id);
            return Audit.audited(id, "webhook.delete", "webhook", id, Map.of());
        });
        ctx.status(204);
    }

    public void deliveries(Context ctx) {
        long id = Requests.id(ctx, "id");
        if (webhooks.find(id).isEmpty()) throw new NotFound("webhook", id);
        ctx.json(PageView.of(webhooks.deliveries(id, Requests.longCursor(ctx), Requests.limit(ctx)), d -> d));
    }

    /** The URL when it is an absolute http(s) URL with a host, else null. */
    private static URI httpUrl(String url) {
        try {
            URI u = URI.create(url);
            boolean http = "http".equals(u.getScheme()) || "https".equals(u.getScheme());
            return http && u.getHost() != null && u.getRawUserInfo() == null ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
