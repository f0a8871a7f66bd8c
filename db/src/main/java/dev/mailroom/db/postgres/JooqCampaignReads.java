package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;

import dev.mailroom.core.campaign.CampaignStatus;
import dev.mailroom.core.campaign.Controls;
import dev.mailroom.core.campaign.Counts;
import dev.mailroom.core.campaign.Reputation;
import dev.mailroom.core.error.NotFound;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SelectOnConditionStep;
import org.jooq.impl.DSL;

/** What the API reads about campaigns, their recipients and their delivery attempts (keyset pages). */
public final class JooqCampaignReads {
    /** Every campaign column but the message body: lists, views, progress and the poll never need it. */
    static final java.util.List<org.jooq.Field<?>> CAMPAIGN_WITHOUT_BODY = java.util.Arrays.stream(CAMPAIGN.fields())
            .filter(f -> !f.equals(CAMPAIGN.HTML) && !f.equals(CAMPAIGN.BODY_TEXT)).toList();

    private final DSLContext dsl;

    public JooqCampaignReads(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A campaign's message as written (placeholders unrendered) and the sender it goes out through. */
    public record Content(long senderId, String subject, String html, String text) {}

    public CampaignRow get(long campaignId) {
        return find(campaignId).orElseThrow(() -> new NotFound("campaign", campaignId));
    }

    public Optional<CampaignRow> find(long campaignId) {
        return joined().where(CAMPAIGN.ID.eq(campaignId)).fetchOptional(JooqCampaignReads::toRow);
    }

    public Optional<Content> content(long campaignId) {
        return dsl.select(CAMPAIGN.SENDER_ID, CAMPAIGN.SUBJECT, CAMPAIGN.HTML, CAMPAIGN.BODY_TEXT).from(CAMPAIGN)
                .where(CAMPAIGN.ID.eq(campaignId))
                .fetchOptional(r -> new Content(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    /** The campaign's first recipient (lowest id), whatever its status: the one a test email is rendered as. */
    public Optional<Long> firstRecipient(long campaignId) {
        return dsl.select(CAMPAIGN_RECIPIENT.ID).from(CAMPAIGN_RECIPIENT).where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId))
                .orderBy(CAMPAIGN_RECIPIENT.ID).limit(1).fetchOptional(CAMPAIGN_RECIPIENT.ID);
    }

    public boolean hasRecipient(long campaignId, long recipientId) {
        return dsl.fetchExists(CAMPAIGN_RECIPIENT, CAMPAIGN_RECIPIENT.ID.eq(recipientId)
                .and(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId)));
    }

    public boolean exists(long campaignId) {
        return dsl.fetchExists(CAMPAIGN, CAMPAIGN.ID.eq(campaignId));
    }

    /** Newest first; {@code beforeId} is the previous page's last id. */
    public Page<CampaignRow, Long> list(CampaignStatus status, Long beforeId, int limit) {
        Condition c = DSL.noCondition();
        if (status != null) c = c.and(CAMPAIGN_QUEUE.STATUS.eq(status.wire()));
        if (beforeId != null) c = c.and(CAMPAIGN.ID.lt(beforeId));
        var rows = joined().where(c).orderBy(CAMPAIGN.ID.desc()).limit(limit + 1).fetch(JooqCampaignReads::toRow);
        return Page.of(rows, limit, CampaignRow::id);
    }

    /** In id order; {@code afterId} is the previous page's last id. */
    public Page<RecipientRow, Long> recipients(long campaignId, String status, Long afterId, int limit) {
        if (!dsl.fetchExists(CAMPAIGN, CAMPAIGN.ID.eq(campaignId))) throw new NotFound("campaign", campaignId);
        var r = CAMPAIGN_RECIPIENT;
        Condition c = r.CAMPAIGN_ID.eq(campaignId);
        if (status != null) c = c.and(r.STATUS.eq(status));
        if (afterId != null) c = c.and(r.ID.gt(afterId));
        var rows = dsl.select(r.ID, r.EMAIL, r.NAME, r.VARS, r.STATUS, r.MESSAGE_ID, r.ATTEMPTS, r.LAST_ERROR,
                        r.ATTEMPTED_AT, r.SENT_AT)
                .from(r).where(c).orderBy(r.ID).limit(limit + 1)
                .fetch(x -> new RecipientRow(x.value1(), x.value2(), x.value3(), x.value4(), x.value5(), x.value6(),
                        x.value7(), x.value8(), Times.instant(x.value9()), Times.instant(x.value10())));
        return Page.of(rows, limit, RecipientRow::id);
    }

    /** The delivery timeline of one recipient of the campaign, oldest first. */
    public java.util.List<AttemptRow> attempts(long campaignId, long recipientId) {
        if (!dsl.fetchExists(CAMPAIGN_RECIPIENT, CAMPAIGN_RECIPIENT.ID.eq(recipientId)
                .and(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId)))) {
            throw new NotFound("recipient", recipientId);
        }
        var a = DELIVERY_ATTEMPT;
        return dsl.select(a.ATTEMPT_NO, a.OUTCOME, a.SMTP_CODE, a.REPLY, a.FAULT, a.DURATION_MS, a.WORKER_ID, a.ATTEMPTED_AT)
                .from(a).where(a.RECIPIENT_ID.eq(recipientId)).orderBy(a.ATTEMPTED_AT, a.ID)
                .fetch(x -> new AttemptRow(x.value1(), x.value2(), AttemptRow.counts(x.value2()), x.value3(), x.value4(),
                        x.value5(), x.value6(), x.value7(), Times.instant(x.value8())));
    }

    private SelectOnConditionStep<Record> joined() {
        return dsl.select(CAMPAIGN_WITHOUT_BODY).select(CAMPAIGN_QUEUE.fields()).from(CAMPAIGN)
                .join(CAMPAIGN_QUEUE).on(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(CAMPAIGN.ID));
    }

    static CampaignRow toRow(Record r) {
        Counts counts = new Counts(r.get(CAMPAIGN.PENDING), r.get(CAMPAIGN.SENDING), r.get(CAMPAIGN.SENT),
                r.get(CAMPAIGN.FAILED), r.get(CAMPAIGN.UNCERTAIN), r.get(CAMPAIGN.SUPPRESSED));
        Controls controls = new Controls(r.get(CAMPAIGN.BATCH_SIZE), r.get(CAMPAIGN.DELAY_MS),
                r.get(CAMPAIGN.COOLDOWN_SECONDS));
        return new CampaignRow(r.get(CAMPAIGN.ID), r.get(CAMPAIGN.NAME), r.get(CAMPAIGN.SENDER_ID),
                r.get(CAMPAIGN.SUBJECT), CampaignStatus.fromWire(r.get(CAMPAIGN_QUEUE.STATUS)), counts, controls,
                Times.instant(r.get(CAMPAIGN.CREATED_AT)), Times.instant(r.get(CAMPAIGN_QUEUE.QUEUED_AT)),
                Times.instant(r.get(CAMPAIGN_QUEUE.STARTED_AT)), Times.instant(r.get(CAMPAIGN_QUEUE.FINISHED_AT)),
                Times.instant(r.get(CAMPAIGN_QUEUE.LAST_BATCH_AT)), r.get(CAMPAIGN_QUEUE.DEFER_REASON),
                Times.instant(r.get(CAMPAIGN_QUEUE.DEFERRED_UNTIL)), Times.instant(r.get(CAMPAIGN.SEND_AT)),
                new Reputation(r.get(CAMPAIGN.BOUNCED), r.get(CAMPAIGN.COMPLAINED), r.get(CAMPAIGN.UNSUBSCRIBED)));
    }
}
