package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.BOUNCE_EVENT;
import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;

import dev.mailroom.core.bounce.BounceType;
import dev.mailroom.core.bounce.LaterBounce;
import dev.mailroom.core.secret.RecipientTokens.Addressee;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;

/**
 * Bounces and complaints reported after the fact, by a provider's API or a sender's bounce mailbox: both
 * record here, in one transaction each.
 * <ol>
 *   <li>Every report is recorded as a {@code bounce_event}; a mailbox report read twice (its report id) once.</li>
 *   <li>Only one that matches a message we sent (VERP token, or our Message-ID and the address) is acted on.</li>
 *   <li>A matched refusal of the mailbox, or complaint, suppresses the address (I13, I15).</li>
 *   <li>A matched one counts once per recipient in {@code campaign.bounced}/{@code complained} and is sent to
 *       {@code bounced} webhooks. The recipient's delivery status and the delivery counts never change.</li>
 *   <li>A complaint looks at its sender's complaint rate ({@link JooqComplaintRate}).</li>
 * </ol>
 */
public final class JooqBounceStore {
    /** Where a report came from: the API, or a sender's bounce mailbox (whose reports carry their own id). */
    public record Origin(String source, Long senderId, String reportId) {
        public static Origin api() {
            return new Origin("api", null, null);
        }

        public static Origin mailbox(long senderId, String reportId) {
            return new Origin("mailbox", senderId, reportId);
        }
    }

    /**
     * @param id null when nothing new was recorded: the mailbox report was recorded before, or it matched
     *           nothing and names no address
     */
    public record Recorded(Long id, Long recipientId, Long campaignId, boolean matched, boolean suppressed) {}

    private final DSLContext dsl;
    private final JooqComplaintRate complaintRate;

    public JooqBounceStore(DSLContext dsl, JooqComplaintRate complaintRate) {
        this.dsl = dsl;
        this.complaintRate = complaintRate;
    }

    /**
     * @param verp      the addressee a verified VERP token of ours names, or null
     * @param messageId the original message's Message-ID as reported, or null
     */
    public Recorded record(Origin origin, LaterBounce b, Addressee verp, String messageId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Optional<BounceMatch> match = BounceMatch.find(tx, new BounceMatch.Reference(verp, messageId), b.email(),
                    origin.senderId());
            if (match.isEmpty() && b.email() == null) return new Recorded(null, null, null, false, false);
            Optional<Long> id = insertEvent(tx, origin, b, messageId, match.orElse(null));
            if (id.isEmpty()) {
                return new Recorded(null, match.map(BounceMatch::recipientId).orElse(null),
                        match.map(BounceMatch::campaignId).orElse(null), match.isPresent(), false);
            }
            if (match.isEmpty()) return new Recorded(id.get(), null, null, false, false);
            BounceMatch m = match.get();
            boolean suppressed = b.suppresses();
            if (suppressed) suppress(tx, m, b.type());
            countOncePerRecipient(tx, m, b.type(), id.get());
            WebhookOutbox.enqueue(tx, List.of(new WebhookOutbox.Event("bounced", payload(origin, b, m, suppressed))));
            if (b.type() == BounceType.COMPLAINT) complaintRate.check(tx, m.senderId());
            return new Recorded(id.get(), m.recipientId(), m.campaignId(), true, suppressed);
        });
    }

    /** The id of the new event; empty when this sender's mailbox report was recorded before. */
    private static Optional<Long> insertEvent(DSLContext tx, Origin origin, LaterBounce b, String messageId, BounceMatch m) {
        String email = m != null ? m.email() : b.email();
        return tx.insertInto(BOUNCE_EVENT)
                .set(BOUNCE_EVENT.MESSAGE_ID, m != null ? m.messageId() : messageId)
                .set(BOUNCE_EVENT.EMAIL, email)
                .set(BOUNCE_EVENT.TYPE, b.type().wire())
                .set(BOUNCE_EVENT.SMTP_CODE, b.smtpCode())
                .set(BOUNCE_EVENT.DIAGNOSTIC, b.diagnostic())
                .set(BOUNCE_EVENT.RECIPIENT_ID, m != null ? m.recipientId() : null)
                .set(BOUNCE_EVENT.CAMPAIGN_ID, m != null ? m.campaignId() : null)
                .set(BOUNCE_EVENT.SENDER_ID, m != null ? Long.valueOf(m.senderId()) : origin.senderId())
                .set(BOUNCE_EVENT.SOURCE, origin.source())
                .set(BOUNCE_EVENT.RULE, b.rule())
                .set(BOUNCE_EVENT.REPORT_ID, origin.reportId())
                .onConflict(BOUNCE_EVENT.SENDER_ID, BOUNCE_EVENT.REPORT_ID).where(BOUNCE_EVENT.REPORT_ID.isNotNull())
                .doNothing()
                .returning(BOUNCE_EVENT.ID).fetchOptional(BOUNCE_EVENT.ID);
    }

    /** An address already suppressed keeps its first reason. */
    private static void suppress(DSLContext tx, BounceMatch m, BounceType type) {
        tx.insertInto(SUPPRESSION, SUPPRESSION.EMAIL, SUPPRESSION.REASON, SUPPRESSION.CAMPAIGN_ID)
                .values(m.email(), type == BounceType.COMPLAINT ? "complaint" : "hard_bounce", m.campaignId())
                .onConflictDoNothing().execute();
    }

    /** campaign.bounced / complained count recipients, not reports: only the recipient's first of the kind adds one. */
    private static void countOncePerRecipient(DSLContext tx, BounceMatch m, BounceType type, long eventId) {
        if (m.recipientId() == null || type == BounceType.SOFT) return;
        boolean seenBefore = tx.fetchExists(BOUNCE_EVENT, BOUNCE_EVENT.RECIPIENT_ID.eq(m.recipientId())
                .and(BOUNCE_EVENT.TYPE.eq(type.wire())).and(BOUNCE_EVENT.ID.ne(eventId)));
        if (seenBefore) return;
        Field<Integer> counter = type == BounceType.COMPLAINT ? CAMPAIGN.COMPLAINED : CAMPAIGN.BOUNCED;
        tx.update(CAMPAIGN).set(counter, counter.plus(1)).where(CAMPAIGN.ID.eq(m.campaignId())).execute();
    }

    private static Map<String, Object> payload(Origin origin, LaterBounce b, BounceMatch m, boolean suppressed) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("email", m.email());
        data.put("type", b.type().wire());
        data.put("message_id", m.messageId());
        data.put("smtp_code", b.smtpCode());
        data.put("diagnostic", b.diagnostic());
        data.put("rule", b.rule());
        data.put("source", origin.source());
        data.put("suppressed", suppressed);
        data.put("campaign_id", m.campaignId());
        data.put("recipient_id", m.recipientId());
        data.put("sender_id", m.senderId());
        return data;
    }
}
