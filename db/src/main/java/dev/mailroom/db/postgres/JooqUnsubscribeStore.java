package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.SENDER;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static dev.mailroom.db.generated.Tables.TEST_EMAIL;

import dev.mailroom.core.secret.RecipientTokens.Addressee;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * One-click unsubscribes (I18, I13). Reading who a link names never writes; unsubscribing suppresses the
 * address with its campaign, counts it on the campaign and reports it to webhooks, all in one transaction.
 * An address already on the list keeps its row and reason, and is neither counted nor reported again.
 */
public final class JooqUnsubscribeStore {
    /** What the page shows: whose mailings the link unsubscribes from. */
    public record Mailing(String senderName) {}

    public enum Outcome { UNSUBSCRIBED, ALREADY_SUPPRESSED, TEST_EMAIL }

    private final DSLContext dsl;

    public JooqUnsubscribeStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The mailing the link belongs to; empty when its campaign, recipient or test email no longer exists. */
    public Optional<Mailing> find(Addressee who) {
        var senderName = DSL.coalesce(DSL.nullif(SENDER.FROM_NAME, ""), SENDER.NAME);
        if (who.isTestEmail()) {
            return dsl.select(senderName).from(TEST_EMAIL).join(SENDER).on(SENDER.ID.eq(TEST_EMAIL.SENDER_ID))
                    .where(TEST_EMAIL.ID.eq(who.id())).fetchOptional(r -> new Mailing(r.value1()));
        }
        return dsl.select(senderName).from(CAMPAIGN_RECIPIENT)
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(CAMPAIGN_RECIPIENT.CAMPAIGN_ID))
                .join(SENDER).on(SENDER.ID.eq(CAMPAIGN.SENDER_ID))
                .where(CAMPAIGN_RECIPIENT.ID.eq(who.id()), CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(who.campaignId()))
                .fetchOptional(r -> new Mailing(r.value1()));
    }

    /**
     * Suppresses the addressee's address. Empty when the recipient no longer exists. A test email's link
     * suppresses nobody (the address is the operator's own).
     */
    public Optional<Outcome> unsubscribe(Addressee who) {
        if (who.isTestEmail()) {
            return find(who).map(m -> Outcome.TEST_EMAIL);
        }
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            Optional<String> email = tx.select(CAMPAIGN_RECIPIENT.EMAIL).from(CAMPAIGN_RECIPIENT)
                    .where(CAMPAIGN_RECIPIENT.ID.eq(who.id()), CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(who.campaignId()))
                    .fetchOptional(CAMPAIGN_RECIPIENT.EMAIL);
            if (email.isEmpty()) return Optional.<Outcome>empty();
            boolean added = tx.insertInto(SUPPRESSION, SUPPRESSION.EMAIL, SUPPRESSION.REASON, SUPPRESSION.CAMPAIGN_ID)
                    .values(email.get(), "unsubscribe", who.campaignId())
                    .onConflictDoNothing().execute() > 0;
            if (!added) return Optional.of(Outcome.ALREADY_SUPPRESSED);
            tx.update(CAMPAIGN).set(CAMPAIGN.UNSUBSCRIBED, CAMPAIGN.UNSUBSCRIBED.plus(1))
                    .where(CAMPAIGN.ID.eq(who.campaignId())).execute();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("email", email.get());
            data.put("campaign_id", who.campaignId());
            data.put("recipient_id", who.id());
            WebhookOutbox.enqueue(tx, List.of(new WebhookOutbox.Event("unsubscribed", data)));
            return Optional.of(Outcome.UNSUBSCRIBED);
        });
    }
}
