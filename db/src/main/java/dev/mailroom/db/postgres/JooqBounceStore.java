package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.BOUNCE_EVENT;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * Bounces and complaints a provider reports after the fact. A hard bounce or a complaint suppresses the
 * address (I13); the event is kept and reported to webhooks in the same transaction.
 */
public final class JooqBounceStore {
    public record Bounce(String messageId, String email, String type, Integer smtpCode, String diagnostic) {}

    public record Recorded(long id, Long recipientId, Long campaignId, boolean suppressed) {}

    private final DSLContext dsl;

    public JooqBounceStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Recorded record(Bounce b) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            var recipient = b.messageId() == null ? null
                    : tx.select(CAMPAIGN_RECIPIENT.ID, CAMPAIGN_RECIPIENT.CAMPAIGN_ID).from(CAMPAIGN_RECIPIENT)
                            .where(CAMPAIGN_RECIPIENT.MESSAGE_ID.eq(b.messageId()), CAMPAIGN_RECIPIENT.EMAIL.eq(b.email()))
                            .limit(1).fetchOne();
            Long recipientId = recipient == null ? null : recipient.value1();
            Long campaignId = recipient == null ? null : recipient.value2();
            long id = tx.insertInto(BOUNCE_EVENT, BOUNCE_EVENT.MESSAGE_ID, BOUNCE_EVENT.EMAIL, BOUNCE_EVENT.TYPE,
                            BOUNCE_EVENT.SMTP_CODE, BOUNCE_EVENT.DIAGNOSTIC, BOUNCE_EVENT.RECIPIENT_ID)
                    .values(b.messageId(), b.email(), b.type(), b.smtpCode(), b.diagnostic(), recipientId)
                    .returning(BOUNCE_EVENT.ID).fetchOne(BOUNCE_EVENT.ID);
            boolean suppress = !"soft".equals(b.type());
            if (suppress) {
                tx.insertInto(SUPPRESSION, SUPPRESSION.EMAIL, SUPPRESSION.REASON)
                        .values(b.email(), "complaint".equals(b.type()) ? "complaint" : "hard_bounce")
                        .onConflictDoNothing().execute();
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("email", b.email());
            data.put("type", b.type());
            data.put("message_id", b.messageId());
            data.put("smtp_code", b.smtpCode());
            data.put("diagnostic", b.diagnostic());
            data.put("campaign_id", campaignId);
            data.put("recipient_id", recipientId);
            WebhookOutbox.enqueue(tx, List.of(new WebhookOutbox.Event("bounced", data)));
            return new Recorded(id, recipientId, campaignId, suppress);
        });
    }
}
