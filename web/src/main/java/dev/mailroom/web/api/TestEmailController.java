package dev.mailroom.web.api;

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
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * I1: a test email is a queued row a worker sends; this tier never talks SMTP. One to a suppressed address is
 * refused here (409), so the operator hears it at once; the worker skips any that slip past (I13).
 */
public final class TestEmailController {
    private static final Logger log = LoggerFactory.getLogger(TestEmailController.class);

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

    public record TestEmailRequest(Long senderId, String to, Long campaignId, String subject, String html,
                                   String text) {}

    public record TestEmailView(long id, String status, String messageId, String lastError, String deferReason,
                                Instant deferredUntil) {}

    public void enqueue(Context ctx) throws Exception {
        TestEmailRequest r = requests.body(ctx, TestEmailRequest.class);
        Validation v = new Validation();
        if (r.senderId() == null) v.error("sender_id", "is required");
        else if (!senders.exists(r.senderId())) v.error("sender_id", "no sender with this id");
        String to = v.email("to", r.to());
        String subject = r.subject();
        String html = r.html();
        String text = r.text();
        if (r.campaignId() != null) {
            var content = campaigns.content(r.campaignId()).orElse(null);
            if (content == null) v.error("campaign_id", "no campaign with this id");
            else {
                subject = content.subject();
                html = content.html();
                text = content.text();
            }
        } else {
            v.header("subject", v.required("subject", subject, 998));
            if ((html == null || html.isBlank()) && (text == null || text.isBlank())) {
                v.error("html", "html or text is required (or a campaign_id)");
            }
        }
        v.throwIfAny();
        suppressions.find(to).ifPresent(s -> {
            throw new HttpFailure(409, "suppressed", "Address suppressed", "the address is on the suppression list ("
                    + s.reason() + "); nothing was queued. DELETE /api/suppressions/{email} lifts it.");
        });
        long id = testEmails.enqueue(new NewTestEmail(r.senderId(), r.campaignId(), to, subject, html, text));
        try {
            signals.wake(r.senderId());
        } catch (RuntimeException e) {
            log.warn("wake-up for test email {} not published ({})", id, e.getClass().getSimpleName());
        }
        ctx.status(202).json(Map.of("id", id, "status", "queued"));
    }

    public void get(Context ctx) {
        long id = Requests.id(ctx, "id");
        TestEmailRow t = testEmails.find(id).orElseThrow(() -> new NotFound("test email", id));
        ctx.json(new TestEmailView(t.id(), t.status(), t.messageId(), t.lastError(), t.deferReason(),
                t.deferredUntil()));
    }
}
