package dev.mailroom.web.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.campaign.Controls;
import dev.mailroom.db.postgres.CampaignRow;
import dev.mailroom.db.postgres.JooqCampaignAdminStore;
import dev.mailroom.db.postgres.JooqCampaignReads;
import dev.mailroom.db.postgres.JooqSenderStore;
import dev.mailroom.db.postgres.NewCampaign;
import dev.mailroom.db.postgres.NewRecipient;
import dev.mailroom.db.postgres.Page;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** Creating campaigns, reading them, their progress, and their pacing controls. */
public final class CampaignController {
    private final JooqCampaignAdminStore admin;
    private final JooqCampaignReads reads;
    private final JooqSenderStore senders;
    private final Audit audit;
    private final Requests requests;

    public CampaignController(JooqCampaignAdminStore admin, JooqCampaignReads reads, JooqSenderStore senders,
                              Audit audit, Requests requests) {
        this.admin = admin;
        this.reads = reads;
        this.senders = senders;
        this.audit = audit;
        this.requests = requests;
    }

    public record ControlsPatch(Integer batchSize, Integer delayMs, Integer cooldownSeconds) {}

    public void create(Context ctx) throws Exception {
        CampaignRequest r = requests.body(ctx, CampaignRequest.class);
        Validation v = new Validation();
        String name = v.header("name", v.required("name", r.name(), 500));
        String subject = v.header("subject", v.required("subject", r.subject(), 998));
        if (r.senderId() == null) v.error("sender_id", "is required");
        else if (!senders.exists(r.senderId())) v.error("sender_id", "no sender with this id");
        if (isBlank(r.html()) && isBlank(r.text())) v.error("html", "html or text is required");
        v.throwIfAny();
        List<NewRecipient> recipients = RecipientInput.validate(r.recipients(), requests.mapper());
        var created = admin.create(new NewCampaign(name, r.senderId(), subject, r.html(), r.text(), r.sendAt()),
                recipients.iterator());
        ctx.status(201).json(new CampaignViews.Created(created.id(), CampaignStatus.DRAFT.wire(), created.total()));
    }

    public void list(Context ctx) {
        CampaignStatus status = status(ctx.queryParam("status"));
        Page<CampaignRow, Long> page = reads.list(status, Requests.longCursor(ctx), Requests.limit(ctx));
        ctx.json(PageView.of(page, CampaignViews::view));
    }

    /** One campaign with its message (html, text): what a draft's editor starts from. */
    public void get(Context ctx) {
        long id = Requests.id(ctx, "id");
        ObjectNode body = requests.mapper().valueToTree(CampaignViews.view(reads.get(id)));
        reads.content(id).ifPresent(c -> body.put("html", c.html()).put("text", c.text()));
        ctx.json(body);
    }

    public void progress(Context ctx) {
        ctx.json(CampaignViews.progress(reads.get(Requests.id(ctx, "id"))));
    }

    /** Fields left out keep their value; takes effect at the worker's next batch. */
    public void controls(Context ctx) throws Exception {
        long id = Requests.id(ctx, "id");
        ControlsPatch p = requests.body(ctx, ControlsPatch.class);
        Validation v = new Validation();
        v.range("batch_size", p.batchSize(), 1, 10_000, false);
        v.range("delay_ms", p.delayMs(), 0, 3_600_000, false);
        v.range("cooldown_seconds", p.cooldownSeconds(), 0, 86_400, false);
        v.throwIfAny();
        Controls c = reads.get(id).controls();
        Controls updated = new Controls(p.batchSize() == null ? c.batchSize() : p.batchSize(),
                p.delayMs() == null ? c.delayMs() : p.delayMs(),
                p.cooldownSeconds() == null ? c.cooldownSeconds() : p.cooldownSeconds());
        audit.change(ctx, tx -> {
            new JooqCampaignAdminStore(tx).updateControls(id, updated);
            return Audit.audited(updated, "campaign.controls", "campaign", id, Map.of("batch_size",
                    updated.batchSize(), "delay_ms", updated.delayMs(), "cooldown_seconds", updated.cooldownSeconds()));
        });
        ctx.json(CampaignViews.view(reads.get(id)));
    }

    static CampaignStatus status(String s) {
        if (s == null || s.isBlank()) return null;
        try {
            return CampaignStatus.fromWire(s.trim());
        } catch (IllegalArgumentException e) {
            throw dev.mailroom.core.error.InvalidInput.of("status", "is not a campaign status");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
