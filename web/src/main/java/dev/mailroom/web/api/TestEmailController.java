package dev.mailroom.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.core.error.InvalidInput;
import dev.mailroom.core.error.NotFound;
import dev.mailroom.db.postgres.JooqCampaignReads;
import dev.mailroom.db.postgres.JooqSenderStore;
import dev.mailroom.db.postgres.JooqSuppressionStore;
import dev.mailroom.db.postgres.JooqTestEmailStore;
import dev.mailroom.db.postgres.NewTestEmail;
import dev.mailroom.db.postgres.TestEmailRow;
import dev.mailroom.db.redis.RedisSignals;
import dev.mailroom.web.error.HttpFailure;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * I1: a test email is a queued row a worker sends; this tier never talks SMTP. One to a suppressed address is
 * refused here (409), so the operator hears it at once; the worker skips any that slip past (I13). With a
 * campaign, the worker renders it with one of the campaign's recipients' data (the one named, else the first).
 */
public final class TestEmailController {
    private static final Logger log = LoggerFactory.getLogger(TestEmailController.class);
    /** Addresses one request may proof a message to. */
    static final int MAX_TO = 10;

    private final JooqTestEmailStore testEmails;
    private final JooqSenderStore senders;
    private final JooqCampaignReads campaigns;
    private final JooqSuppressionStore suppressions;
    private final RedisSignals signals;
    private final Requests requests;

    public TestEmailController(JooqTestEmailStore testEmails, JooqSenderStore senders, JooqCampaignReads campaigns,
                               JooqSuppressionStore suppressions, RedisSignals signals, Requests requests) {
        this.testEmails = testEmails;
        this.senders = senders;
        this.campaigns = campaigns;
        this.suppressions = suppressions;
        this.signals = signals;
        this.requests = requests;
    }

    /** {@code to} is one address or an array of up to {@link #MAX_TO}. */
    public record TestEmailRequest(Long senderId, JsonNode to, Long campaignId, Long recipientId, String subject,
                                   String html, String text) {}

    /** One queued test email, as POST answers it. */
    public record Queued(long id, String status, String to, Long recipientId) {}

    public record QueuedMany(List<Queued> testEmails) {}

    public record TestEmailView(long id, String status, String messageId, String lastError, String deferReason,
                                Instant deferredUntil, String to, Long campaignId, Long recipientId, Instant createdAt,
                                Instant sentAt) {
        static TestEmailView of(TestEmailRow t) {
            return new TestEmailView(t.id(), t.status(), t.messageId(), t.lastError(), t.deferReason(),
                    t.deferredUntil(), t.to(), t.campaignId(), t.recipientId(), t.createdAt(), t.sentAt());
        }
    }

    /**
     * One address answers one object, as it always did; an array answers {@code {"test_emails": [...]}} in the
     * array's order. All are queued or none: any invalid or suppressed address refuses the whole request.
     */
    public void enqueue(Context ctx) throws Exception {
        TestEmailRequest r = requests.body(ctx, TestEmailRequest.class);
        Validation v = new Validation();
        List<String> to = addresses(v, r.to());
        Long senderId = r.senderId();
        Long recipientId = null;
        String subject = r.subject();
        String html = r.html();
        String text = r.text();
        if (r.campaignId() != null) {
            var content = campaigns.content(r.campaignId()).orElse(null);
            if (content == null) {
                v.error("campaign_id", "no campaign with this id");
            } else {
                if (senderId == null) senderId = content.senderId(); // the campaign's own sender by default
                subject = content.subject();
                html = content.html();
                text = content.text();
                recipientId = renderedAs(v, r.campaignId(), r.recipientId());
            }
        } else {
            if (r.recipientId() != null) v.error("recipient_id", "needs a campaign_id");
            v.header("subject", v.required("subject", subject, 998));
            if ((html == null || html.isBlank()) && (text == null || text.isBlank())) {
                v.error("html", "html or text is required (or a campaign_id)");
            }
        }
        if (senderId == null) {
            if (r.campaignId() == null) v.error("sender_id", "is required (or a campaign_id)");
        } else if (!senders.exists(senderId)) {
            v.error("sender_id", "no sender with this id");
        }
        v.throwIfAny();
        for (String address : to) {
            suppressions.find(address).ifPresent(s -> {
                throw new HttpFailure(409, "suppressed", "Address suppressed", address + " is on the suppression list ("
                        + s.reason() + "); nothing was queued. DELETE /api/suppressions/{email} lifts it.");
            });
        }
        List<NewTestEmail> rows = new ArrayList<>(to.size());
        for (String address : to) rows.add(new NewTestEmail(senderId, r.campaignId(), recipientId, address, subject, html, text));
        List<Long> ids = testEmails.enqueueAll(rows);
        wake(senderId, ids);
        List<Queued> queued = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) queued.add(new Queued(ids.get(i), "queued", to.get(i), recipientId));
        ctx.status(202).json(r.to() != null && r.to().isArray() ? new QueuedMany(queued) : queued.getFirst());
    }

    /** GET /api/test-emails?campaign_id=7: the campaign's test emails, newest first. */
    public void list(Context ctx) {
        Long campaignId = Requests.optionalLong(ctx, "campaign_id");
        if (campaignId == null) throw InvalidInput.of("campaign_id", "is required");
        if (!campaigns.exists(campaignId)) throw new NotFound("campaign", campaignId);
        ctx.json(PageView.of(testEmails.ofCampaign(campaignId, Requests.longCursor(ctx), Requests.limit(ctx)),
                TestEmailView::of));
    }

    public void get(Context ctx) {
        long id = Requests.id(ctx, "id");
        TestEmailRow t = testEmails.find(id).orElseThrow(() -> new NotFound("test email", id));
        ctx.json(TestEmailView.of(t));
    }

    /** Each address checked and named ({@code to} or {@code to[i]}); the same address twice is refused. */
    private static List<String> addresses(Validation v, JsonNode to) {
        if (to == null || to.isNull() || to.isTextual()) {
            String one = v.email("to", to == null || to.isNull() ? null : to.asText());
            return one == null ? List.of() : List.of(one);
        }
        if (!to.isArray()) {
            v.error("to", "must be an email address or an array of up to " + MAX_TO);
            return List.of();
        }
        if (to.isEmpty()) v.error("to", "must name at least one address");
        if (to.size() > MAX_TO) v.error("to", "must name at most " + MAX_TO + " addresses");
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < to.size() && i < MAX_TO; i++) {
            JsonNode a = to.get(i);
            String field = "to[" + i + "]";
            String address = a.isTextual() ? v.email(field, a.asText()) : null;
            if (!a.isTextual()) v.error(field, "must be an email address");
            else if (address != null && !seen.add(address.toLowerCase(Locale.ROOT))) v.error(field, "repeats an earlier address");
            else if (address != null) out.add(address);
        }
        return out;
    }

    /** The recipient named, which must be the campaign's; else the campaign's first (null when it has none). */
    private Long renderedAs(Validation v, long campaignId, Long recipientId) {
        if (recipientId == null) return campaigns.firstRecipient(campaignId).orElse(null);
        if (!campaigns.hasRecipient(campaignId, recipientId)) {
            v.error("recipient_id", "no recipient with this id in campaign " + campaignId);
        }
        return recipientId;
    }

    private void wake(long senderId, List<Long> ids) {
        try {
            signals.wake(senderId);
        } catch (RuntimeException e) {
            log.warn("wake-up for test emails {} not published ({})", ids, e.getClass().getSimpleName());
        }
    }
}
