package dev.mailroom.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.core.error.InvalidInput;
import dev.mailroom.core.error.NotFound;
import dev.mailroom.core.quota.QuotaGate;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.sender.Sender;
import dev.mailroom.core.sender.SmtpSettings;
import dev.mailroom.db.postgres.JooqSenderStore;
import dev.mailroom.db.postgres.SenderConnection;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Senders (admin writes), their DKIM keys, their quota figures and the provider's quota sync (I6). */
public final class SenderController {
    private final JooqSenderStore senders;
    private final QuotaGate quota;
    private final Audit audit;
    private final Requests requests;
    private final SenderDkim dkim;
    private final Clock clock;

    public SenderController(JooqSenderStore senders, QuotaGate quota, Audit audit, Requests requests, SecretSealer sealer,
                            WokenCampaigns woken, Clock clock) {
        this.senders = senders;
        this.woken = woken;
        this.quota = quota;
        this.audit = audit;
        this.requests = requests;
        this.dkim = new SenderDkim(sealer);
        this.sealer = sealer;
        this.clock = clock;
    }

    private final SecretSealer sealer;
    private final WokenCampaigns woken;

    public record QuotaSync(Integer remaining, Instant syncedAt) {}

    /** Wraps PATCH's {@code dkim} object so that an error inside it names {@code dkim.<field>}. */
    record DkimPatch(SenderDkim.Import dkim) {}

    /** The body may carry a {@code dkim} object to import, as a PATCH may. */
    public void create(Context ctx) throws Exception {
        JsonNode body = requests.tree(ctx);
        JsonNode dkimImport = ((ObjectNode) body).remove("dkim");
        Sender sender = sealPassword(SenderMapping.validate(0, requests.mapper().treeToValue(body, SenderRequest.class), null));
        if (dkimImport != null && !dkimImport.isNull()) sender = sender.withDkim(dkim.importKey(importOf(dkimImport), sender));
        Sender toCreate = sender;
        ctx.status(201).json(view(audit.change(ctx, tx -> {
            Sender created = new JooqSenderStore(tx).create(toCreate);
            return Audit.audited(created, "sender.create", "sender", created.id(), Map.of("name", created.name()));
        })));
    }

    public void list(Context ctx) {
        Map<Long, SenderConnection> connections = senders.connections();
        ctx.json(Map.of("items", senders.list().stream()
                .map(s -> view(s, connections.getOrDefault(s.id(), SenderConnection.NONE))).toList()));
    }

    public void get(Context ctx) {
        ctx.json(view(load(Requests.id(ctx, "id"))));
    }

    /**
     * Fields present in the body replace the stored ones; {@code smtp} merges field by field; {@code dkim}
     * imports a key (an object) or removes it (null). Everything is checked before anything is written.
     */
    public void patch(Context ctx) throws Exception {
        Sender current = load(Requests.id(ctx, "id"));
        JsonNode patch = requests.tree(ctx);
        JsonNode dkimPatch = ((ObjectNode) patch).remove("dkim");
        ObjectNode base = requests.mapper().valueToTree(SenderMapping.asRequest(current));
        patch.properties().forEach(e -> {
            if (e.getKey().equals("smtp") && e.getValue().isObject() && base.get("smtp").isObject()) {
                ((ObjectNode) base.get("smtp")).setAll((ObjectNode) e.getValue());
            } else {
                base.set(e.getKey(), e.getValue());
            }
        });
        SenderRequest merged = requests.mapper().treeToValue(base, SenderRequest.class);
        Sender updated = SenderMapping.validate(current.id(), merged, current);
        // The base carried the stored (sealed) password; only one the body gives is new and sealed here.
        JsonNode smtpPatch = patch.get("smtp");
        boolean passwordGiven = smtpPatch != null && smtpPatch.isObject() && smtpPatch.has("password");
        requirePasswordToMoveIt(current, updated, passwordGiven);
        if (passwordGiven) updated = sealPassword(updated);
        if (dkimPatch != null) updated = updated.withDkim(dkimPatch.isNull() ? null : dkim.importKey(importOf(dkimPatch), updated));
        dkim.checkStillAligned(updated);
        ctx.json(view(update(ctx, current, updated, "sender.update")));
    }

    /** POST /api/senders/{id}/dkim: a new RSA-2048 key replaces the sender's key, if it had one. */
    public void generateDkim(Context ctx) throws Exception {
        Sender current = load(Requests.id(ctx, "id"));
        JsonNode body = requests.tree(ctx);
        onlyKnownFields(body, "", GENERATE_FIELDS);
        SenderDkim.Generate r = requests.mapper().treeToValue(body, SenderDkim.Generate.class);
        ctx.json(view(update(ctx, current, current.withDkim(dkim.generate(r, current)), "sender.dkim_generate")));
    }

    private SenderDkim.Import importOf(JsonNode node) throws Exception {
        if (!node.isObject()) throw InvalidInput.of("dkim", "must be an object {domain, selector, private_key} or null");
        onlyKnownFields(node, "dkim.", IMPORT_FIELDS);
        ObjectNode wrapped = requests.mapper().createObjectNode();
        wrapped.set("dkim", node);
        return requests.mapper().treeToValue(wrapped, DkimPatch.class).dkim();
    }

    public void quotaSync(Context ctx) throws Exception {
        long id = Requests.id(ctx, "id");
        QuotaSync s = requests.body(ctx, QuotaSync.class);
        Validation v = new Validation();
        v.range("remaining", s.remaining(), 0, Integer.MAX_VALUE, true);
        if (s.syncedAt() == null) v.error("synced_at", "is required");
        v.throwIfAny();
        List<Long> ready = audit.change(ctx, tx -> Audit.audited( // its own count since then starts by itself
                new JooqSenderStore(tx).recordQuotaSync(id, s.remaining(), s.syncedAt()), "sender.quota_sync", "sender", id,
                Map.of("remaining", s.remaining(), "synced_at", s.syncedAt().toString())));
        woken.announce(id, ready);
        ctx.json(view(load(id)));
    }

    public void quota(Context ctx) {
        Sender s = load(Requests.id(ctx, "id"));
        ctx.json(QuotaView.of(quota.usage(s.quota(), clock.instant())));
    }

    private static final Set<String> GENERATE_FIELDS = Set.of("domain", "selector");
    private static final Set<String> IMPORT_FIELDS = Set.of("domain", "selector", "private_key");

    /** API.md: a field the server does not know is a 400 that names it (the shared mapper ignores them). */
    private static void onlyKnownFields(JsonNode node, String prefix, Set<String> known) {
        Validation v = new Validation();
        node.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) v.error(prefix + f, "is not a known field");
        });
        v.throwIfAny();
    }

    /**
     * The stored password goes only where it was given for: an edit that would send it to another host, port,
     * account, TLS mode or in clear must give it again, so a stolen admin session cannot point the relay
     * settings at a server of its own and collect the password at the next AUTH.
     */
    private static void requirePasswordToMoveIt(Sender current, Sender updated, boolean passwordGiven) {
        String stored = current.smtp().password();
        if (passwordGiven || stored == null || stored.isEmpty()) return;
        if (updated.smtp().movesPasswordFrom(current.smtp())) {
            throw InvalidInput.of("smtp.password", "must be given again when smtp host, port, tls or username change, "
                    + "or allow_plaintext_auth is turned on");
        }
    }

    /** I19: the password given in clear is stored sealed; none (null or empty) stays as it is. */
    private Sender sealPassword(Sender s) {
        String password = s.smtp().password();
        if (password == null || password.isEmpty()) return s;
        return s.withSmtp(s.smtp().withPassword(sealer.seal(password, SmtpSettings.PASSWORD_SEAL_PURPOSE)));
    }

    /** The audit names the fields that changed, never their values (I19). */
    private Sender update(Context ctx, Sender current, Sender updated, String action) {
        JooqSenderStore.Updated done = audit.change(ctx, tx -> Audit.audited(new JooqSenderStore(tx).update(updated), action,
                "sender", current.id(), Map.of("changed", SenderChanges.between(current, updated))));
        woken.announce(current.id(), done.woken());
        return done.sender();
    }

    private SenderMapping.SenderView view(Sender s) {
        return view(s, senders.connection(s.id()));
    }

    private SenderMapping.SenderView view(Sender s, SenderConnection connection) {
        return SenderMapping.view(s, connection, dkim.view(s.dkim()));
    }

    private Sender load(long id) {
        return senders.find(id).orElseThrow(() -> new NotFound("sender", id));
    }
}
