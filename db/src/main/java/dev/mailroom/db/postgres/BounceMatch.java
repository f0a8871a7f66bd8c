package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.TEST_EMAIL;

import dev.mailroom.core.delivery.MessageIds;
import dev.mailroom.core.secret.RecipientTokens.Addressee;
import java.util.Locale;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * The message of ours a later report is about, found by a VERP token (signed: it names the addressee for
 * certain) or by our Message-ID (not signed: the stored Message-ID and the reported address must both agree).
 * A campaign recipient's row is locked until the transaction ends, so two reports of one recipient count once.
 *
 * @param recipientId null for a test email
 * @param email       the address we sent to, as stored
 * @param messageId   the Message-ID we sent it with
 */
record BounceMatch(Long recipientId, Long campaignId, long senderId, String email, String messageId) {

    /** What names the message in a report. */
    record Reference(Addressee verp, String messageId) {}

    /**
     * @param reportedEmail the address the report names (checked against a Message-ID match)
     * @param mailboxSender the sender whose bounce mailbox the report came from (null from the API): a report
     *                      about another sender's message is not this mailbox's to act on
     */
    static Optional<BounceMatch> find(DSLContext tx, Reference ref, String reportedEmail, Long mailboxSender) {
        Optional<BounceMatch> found;
        if (ref.verp() != null) {
            found = lookUp(tx, ref.verp());
        } else {
            String mid = MessageIds.bracketed(ref.messageId());
            found = MessageIds.parse(mid).flatMap(a -> lookUp(tx, a))
                    .filter(m -> mid.equals(m.messageId()) && reportedEmail != null
                            && m.email().equalsIgnoreCase(reportedEmail.trim()));
        }
        return found.filter(m -> mailboxSender == null || m.senderId() == mailboxSender);
    }

    private static Optional<BounceMatch> lookUp(DSLContext tx, Addressee a) {
        if (a.isTestEmail()) {
            return tx.select(TEST_EMAIL.CAMPAIGN_ID, TEST_EMAIL.SENDER_ID, TEST_EMAIL.TO_EMAIL, TEST_EMAIL.MESSAGE_ID)
                    .from(TEST_EMAIL).where(TEST_EMAIL.ID.eq(a.id()))
                    .fetchOptional(r -> new BounceMatch(null, r.value1(), r.value2(), r.value3().toLowerCase(Locale.ROOT), r.value4()));
        }
        return tx.select(CAMPAIGN_RECIPIENT.ID, CAMPAIGN_RECIPIENT.CAMPAIGN_ID, CAMPAIGN.SENDER_ID, CAMPAIGN_RECIPIENT.EMAIL,
                        CAMPAIGN_RECIPIENT.MESSAGE_ID)
                .from(CAMPAIGN_RECIPIENT).join(CAMPAIGN).on(CAMPAIGN.ID.eq(CAMPAIGN_RECIPIENT.CAMPAIGN_ID))
                .where(CAMPAIGN_RECIPIENT.ID.eq(a.id()), CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(a.campaignId()))
                .forNoKeyUpdate().of(CAMPAIGN_RECIPIENT)
                .fetchOptional(r -> new BounceMatch(r.value1(), r.value2(), r.value3(), r.value4(), r.value5()));
    }
}
