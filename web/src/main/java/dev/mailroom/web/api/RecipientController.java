package dev.mailroom.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.core.error.InvalidInput;
import dev.mailroom.core.recipient.RecipientStatus;
import dev.mailroom.db.postgres.JooqCampaignAdminStore;
import dev.mailroom.db.postgres.JooqCampaignReads;
import dev.mailroom.db.postgres.JooqRecipientImport;
import dev.mailroom.db.postgres.RecipientRow;
import dev.mailroom.web.csv.CsvLimits;
import dev.mailroom.web.csv.CsvOptions;
import dev.mailroom.web.csv.CsvRecipients;
import dev.mailroom.web.csv.RecipientSpool;
import dev.mailroom.web.error.HttpFailure;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adding recipients (a JSON {@code recipients} array, or a streamed {@code text/csv} upload), listing
 * them, and one recipient's delivery timeline. Either way one bad row rejects the whole request and
 * nothing is written (see {@link CsvRecipients} for the CSV policy). A CSV upload is read and checked into
 * a {@link RecipientSpool} first; only then does loading take a database connection.
 */
public final class RecipientController {
    private final JooqCampaignAdminStore admin;
    private final JooqCampaignReads reads;
    private final Requests requests;
    private final CsvLimits csv;

    public RecipientController(JooqCampaignAdminStore admin, JooqCampaignReads reads, Requests requests,
                               CsvLimits csv) {
        this.admin = admin;
        this.reads = reads;
        this.requests = requests;
        this.csv = csv;
    }

    public record RecipientsBody(List<RecipientInput> recipients) {}

    /** A recipient as the list shows it, its vars an object (what {{vars.key}} renders), or null. */
    public record RecipientView(long id, String email, String name, JsonNode vars, String status, String messageId,
                                int attempts, String lastError, Instant attemptedAt, Instant sentAt) {}

    public void add(Context ctx) throws Exception {
        long id = Requests.id(ctx, "id");
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
        JooqRecipientImport.Loaded loaded;
        Map<String, Object> read = new LinkedHashMap<>(); // how a CSV upload was read
        if (type.startsWith("text/csv")) {
            CsvOptions options = CsvOptions.from(ctx::queryParam);
            reads.get(id); // an unknown campaign is a 404 before the upload is read
            if (ctx.req().getContentLengthLong() > csv.maxBytes()) throw HttpFailure.tooLarge(csv.maxBytes());
            try (RecipientSpool spool = RecipientSpool.of(ctx.req().getInputStream(), csv, options)) {
                loaded = admin.addRecipients(id, spool.recipients());
                read.put("delimiter", spool.format().delimiterName());
                read.put("charset", spool.format().charsetName());
                if (options.skipInvalid()) {
                    read.put("skipped", spool.skipped());
                    read.put("skipped_count", spool.skippedCount());
                }
            }
        } else {
            RecipientsBody body = requests.body(ctx, RecipientsBody.class);
            if (body.recipients() == null) throw InvalidInput.of("recipients", "is required");
            loaded = admin.addRecipients(id, RecipientInput.validate(body.recipients(), requests.mapper()).iterator());
        }
        var c = reads.get(id);
        Map<String, Object> body = new LinkedHashMap<>(Map.of("id", id, "added", loaded.total(), "suppressed", loaded.suppressed(),
                "total", c.counts().total(), "status", c.status().wire()));
        body.putAll(read);
        ctx.json(body);
    }

    public void list(Context ctx) {
        long id = Requests.id(ctx, "id");
        String status = ctx.queryParam("status");
        if (status != null && !status.isBlank()) {
            try {
                status = RecipientStatus.fromWire(status.trim()).wire();
            } catch (IllegalArgumentException e) {
                throw InvalidInput.of("status", "is not a recipient status");
            }
        } else {
            status = null;
        }
        ctx.json(PageView.of(reads.recipients(id, status, Requests.longCursor(ctx), Requests.limit(ctx)), this::view));
    }

    private RecipientView view(RecipientRow r) {
        JsonNode vars;
        try {
            vars = r.varsJson() == null ? null : requests.mapper().readTree(r.varsJson());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // stored by this code as JSON: cannot happen
        }
        return new RecipientView(r.id(), r.email(), r.name(), vars, r.status(), r.messageId(), r.attempts(),
                r.lastError(), r.attemptedAt(), r.sentAt());
    }

    public void attempts(Context ctx) {
        ctx.json(Map.of("items", reads.attempts(Requests.id(ctx, "id"), Requests.id(ctx, "rid"))));
    }
}
