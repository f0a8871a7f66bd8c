package dev.mailroom.worker.loop;

import dev.mailroom.core.defer.TransientBackoff;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.MessageIds;
import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.quota.Reservation;
import dev.mailroom.core.sender.Sender;
import dev.mailroom.core.template.Template;
import dev.mailroom.core.testemail.TestEmail;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Sends a sender's waiting test emails through the same quota as campaigns (I1, I5). Called between
 * batches, so a test email never waits for a running campaign to finish.
 */
final class ServeTestEmails {
    private static final int PER_TURN = 10;
    private static final Template.Person TEST_PERSON = new Template.Person("", "", Map.of());

    private static final java.time.Duration LOOK_EVERY = java.time.Duration.ofSeconds(1);

    private final SendingContext ctx;
    private Instant lastLook;

    ServeTestEmails(SendingContext ctx) {
        this.ctx = ctx;
    }

    void serve(Sender sender, SmtpLanes lanes) {
        Instant now = ctx.clock().instant();
        // Between every batch would cost a query per batch; once a second is soon enough for a person.
        if (lastLook != null && now.isBefore(lastLook.plus(LOOK_EVERY)) && now.isAfter(lastLook)) return;
        lastLook = now;
        List<TestEmail> due = ctx.testEmails().due(sender.id(), PER_TURN, now);
        if (due.isEmpty()) return;
        if (!sender.enabled()) {
            for (TestEmail t : due) {
                ctx.defer().deferTestEmail(t.id(), dev.mailroom.core.defer.DeferReason.SMTP_DISABLED,
                        now.plusSeconds(300), "the sender is disabled");
            }
            return;
        }
        Reservation r = ctx.quota().reserve(sender.quota(), due.size(), now);
        for (TestEmail refused : due.subList(r.granted(), due.size())) {
            ctx.defer().deferTestEmail(refused.id(), r.limitedBy(), r.retryAt(), "quota reached");
        }
        List<TestEmail> granted = due.subList(0, r.granted());
        String fromDomain = RunCampaign.domainOf(sender.fromEmail());
        List<TestEmail> marked = ctx.testEmails().markSending(sender.id(), granted, fromDomain, ctx.workerId(), now);
        ctx.quota().release(sender.quota(), granted.size() - marked.size(), now);
        lanes.use(sender.smtp());
        for (TestEmail t : marked) {
            OutgoingMessage m = new OutgoingMessage(t.id(), MessageIds.forTestEmail(t.id(), fromDomain),
                    sender.fromEmail(), sender.fromName(), t.to(), Template.renderHeader(t.subject(), TEST_PERSON),
                    Template.render(t.html(), TEST_PERSON, true), Template.render(t.text(), TEST_PERSON, false));
            long start = System.nanoTime();
            DeliveryOutcome outcome = lanes.lane(0).send(m);
            long ms = (System.nanoTime() - start) / 1_000_000;
            ctx.metrics().sent(outcome, ms);
            Instant done = ctx.clock().instant();
            ctx.testEmails().record(t.id(), outcome, ms, done);
            if (outcome instanceof DeliveryOutcome.RetryLater retry) {
                ctx.defer().deferTestEmail(t.id(), dev.mailroom.core.defer.DeferReason.TRANSIENT_ERROR,
                        done.plus(TransientBackoff.after(1)), retry.reply());
            }
        }
    }
}
