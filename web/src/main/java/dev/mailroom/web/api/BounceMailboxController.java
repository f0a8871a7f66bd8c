package dev.mailroom.web.api;

import dev.mailroom.core.bounce.BounceMailbox;
import dev.mailroom.core.error.NotFound;
import dev.mailroom.core.mail.HeaderText;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.db.postgres.JooqBounceMailboxStore;
import dev.mailroom.db.postgres.JooqSenderStore;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A sender's bounce mailbox (admin): the domain its envelope senders use (VERP) and the IMAP mailbox that
 * domain's MX delivers to. The password is sealed at rest and never shown (I19): the view says {@code password_set}.
 */
public final class BounceMailboxController {
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IMAP_HOST = Pattern.compile("[A-Za-z0-9._:\\[\\]-]{1,253}");
    private static final Set<String> TLS = Set.of("none", "starttls", "tls");
    static final String DEFAULT_FOLDER = "INBOX";
    static final String DEFAULT_PROCESSED_FOLDER = "Mailroom/Processed";

    private final JooqBounceMailboxStore mailboxes;
    private final JooqSenderStore senders;
    private final SecretSealer sealer;
    private final Audit audit;
    private final Requests requests;

    public BounceMailboxController(JooqBounceMailboxStore mailboxes, JooqSenderStore senders, SecretSealer sealer,
                                   Audit audit, Requests requests) {
        this.mailboxes = mailboxes;
        this.senders = senders;
        this.sealer = sealer;
        this.audit = audit;
        this.requests = requests;
    }

    public void get(Context ctx) {
        long id = Requests.id(ctx, "id");
        ctx.json(view(mailboxes.find(id).orElseThrow(() -> notConfigured(id))));
    }

    public void put(Context ctx) throws Exception {
        long id = Requests.id(ctx, "id");
        if (!senders.exists(id)) throw new NotFound("sender", id);
        BounceMailboxRequest r = requests.body(ctx, BounceMailboxRequest.class);
        Optional<BounceMailbox> stored = mailboxes.find(id);
        BounceMailbox m = validate(id, r, stored.map(BounceMailbox::sealedPassword).orElse(null));
        audit.change(ctx, tx -> {
            if (!new JooqBounceMailboxStore(tx).save(m)) throw new NotFound("sender", id);
            return Audit.audited(id, "bounce_mailbox.set", "sender", id, Map.of("domain", m.domain(),
                    "password_changed", r.imap().password() != null));
        });
        ctx.json(view(mailboxes.find(id).orElseThrow()));
    }

    public void delete(Context ctx) {
        long id = Requests.id(ctx, "id");
        audit.change(ctx, tx -> {
            if (!new JooqBounceMailboxStore(tx).delete(id)) throw notConfigured(id);
            return Audit.audited(id, "bounce_mailbox.delete", "sender", id, Map.of());
        });
        ctx.status(204);
    }

    /** Every field error at once; nothing is written unless all are right. */
    private BounceMailbox validate(long senderId, BounceMailboxRequest r, String storedPassword) {
        Validation v = new Validation();
        String domain = v.required("domain", r.domain(), 253);
        if (domain != null) {
            domain = domain.trim().toLowerCase(Locale.ROOT);
            if (!HOSTNAME.matcher(domain).matches() || !domain.contains(".")) v.error("domain", "is not a domain name");
        }
        String folder = folder(v, "folder", r.folder(), DEFAULT_FOLDER);
        String processed = folder(v, "processed_folder", r.processedFolder(), DEFAULT_PROCESSED_FOLDER);
        if (folder != null && folder.equals(processed)) v.error("processed_folder", "must differ from folder");
        BounceMailboxRequest.Imap imap = r.imap();
        if (imap == null) {
            v.error("imap", "is required");
            v.throwIfAny();
        }
        String host = v.required("imap.host", imap.host(), 253);
        if (host != null && !IMAP_HOST.matcher(host.trim()).matches()) v.error("imap.host", "is not a host name or address");
        String tls = imap.tls() == null ? "tls" : imap.tls();
        if (!TLS.contains(tls)) v.error("imap.tls", "must be none, starttls or tls");
        int port = imap.port() == null ? ("tls".equals(tls) ? 993 : 143) : imap.port();
        v.range("imap.port", port, 1, 65535, true);
        String username = v.header("imap.username", v.required("imap.username", imap.username(), 320));
        String sealed = storedPassword;
        if (imap.password() != null) {
            if (imap.password().isEmpty()) v.error("imap.password", "must not be empty");
            else if (imap.password().length() > 1024) v.error("imap.password", "must be at most 1024 characters");
            else if (!HeaderText.isSafe(imap.password())) v.error("imap.password", "must not contain CR, LF or NUL");
        } else if (storedPassword == null) {
            v.error("imap.password", "is required");
        }
        v.throwIfAny();
        if (imap.password() != null) sealed = sealer.seal(imap.password(), BounceMailbox.PASSWORD_PURPOSE);
        return new BounceMailbox(senderId, domain, host.trim(), port, tls, username, sealed, folder, processed, null, null);
    }

    private static String folder(Validation v, String field, String value, String fallback) {
        if (value == null) return fallback;
        if (value.isBlank()) {
            v.error(field, "must not be blank");
            return null;
        }
        if (value.length() > 200) v.error(field, "must be at most 200 characters");
        if (value.chars().anyMatch(Character::isISOControl)) v.error(field, "must not contain control characters");
        return value.trim();
    }

    private static Map<String, Object> view(BounceMailbox m) {
        Map<String, Object> imap = new LinkedHashMap<>();
        imap.put("host", m.host());
        imap.put("port", m.port());
        imap.put("tls", m.tls());
        imap.put("username", m.username());
        imap.put("password_set", m.sealedPassword() != null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sender_id", m.senderId());
        out.put("domain", m.domain());
        out.put("imap", imap);
        out.put("folder", m.folder());
        out.put("processed_folder", m.processedFolder());
        out.put("checked_at", m.checkedAt());
        out.put("last_error", m.lastError());
        return out;
    }

    private static NotFound notConfigured(long senderId) {
        return new NotFound("bounce mailbox of sender", senderId);
    }
}
