package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.BOUNCE_EVENT;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.generated.Tables.SENDER;

import dev.mailroom.core.sender.ComplaintRateAlert;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * A sender's complaint rate over the last 7 days: complaints recorded against it over messages it sent
 * (attempts whose outcome is 'sent'). Passing the threshold sets {@code sender.complaint_alert_at} and
 * enqueues one {@code sender.complaint_rate} webhook event; falling back under it clears the mark, so
 * the next rise alerts again.
 */
public final class JooqComplaintRate {
    public static final int WINDOW_DAYS = 7;
    public record Rate(long complaints, long sent, double value) {}

    private final ComplaintRateAlert alert;

    public JooqComplaintRate(ComplaintRateAlert alert) {
        this.alert = alert;
    }

    /** Looks again, in the caller's transaction; returns the rate it found. */
    public Rate check(DSLContext tx, long senderId) {
        Rate rate = rate(tx, senderId);
        if (alert.raisedBy(rate.complaints(), rate.sent())) {
            boolean raised = tx.update(SENDER).set(SENDER.COMPLAINT_ALERT_AT, DSL.currentOffsetDateTime())
                    .where(SENDER.ID.eq(senderId), SENDER.COMPLAINT_ALERT_AT.isNull()).execute() > 0;
            if (raised) WebhookOutbox.enqueue(tx, List.of(new WebhookOutbox.Event("sender.complaint_rate", payload(senderId, rate))));
        } else {
            tx.update(SENDER).setNull(SENDER.COMPLAINT_ALERT_AT)
                    .where(SENDER.ID.eq(senderId), SENDER.COMPLAINT_ALERT_AT.isNotNull()).execute();
        }
        return rate;
    }

    /**
     * Looks again at every sender whose alert stands, one transaction each: run on each bounce tick, so an
     * alert clears once old complaints age out of the window or sends dilute them. Returns how many cleared.
     */
    public int recheckAlerted(DSLContext dsl) {
        int cleared = 0;
        for (long senderId : dsl.select(SENDER.ID).from(SENDER).where(SENDER.COMPLAINT_ALERT_AT.isNotNull()).fetch(SENDER.ID)) {
            Rate rate = dsl.transactionResult(cfg -> check(cfg.dsl(), senderId));
            if (!alert.raisedBy(rate.complaints(), rate.sent())) cleared++;
        }
        return cleared;
    }

    private static Rate rate(DSLContext tx, long senderId) {
        var since = DSL.field("now() - make_interval(days => {0})", java.time.OffsetDateTime.class, DSL.inline(WINDOW_DAYS));
        // Only complaints matched to a message of ours: an unmatched report is recorded, not acted on (API.md).
        long complaints = tx.fetchCount(BOUNCE_EVENT, BOUNCE_EVENT.SENDER_ID.eq(senderId)
                .and(BOUNCE_EVENT.CAMPAIGN_ID.isNotNull()).and(BOUNCE_EVENT.TYPE.eq("complaint")).and(BOUNCE_EVENT.CREATED_AT.ge(since)));
        long sent = tx.fetchCount(DELIVERY_ATTEMPT, DELIVERY_ATTEMPT.SENDER_ID.eq(senderId)
                .and(DELIVERY_ATTEMPT.OUTCOME.eq("sent")).and(DELIVERY_ATTEMPT.ATTEMPTED_AT.ge(since)));
        return new Rate(complaints, sent, complaints == 0 ? 0 : (double) complaints / Math.max(sent, 1));
    }

    private Map<String, Object> payload(long senderId, Rate rate) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sender_id", senderId);
        data.put("complaint_rate", rate.value());
        data.put("threshold", alert.threshold());
        data.put("complaints", rate.complaints());
        data.put("sent", rate.sent());
        data.put("window_days", WINDOW_DAYS);
        return data;
    }
}
