package dev.mailroom.db.postgres;

import dev.mailroom.core.delivery.RecipientOutcome;
import dev.mailroom.core.delivery.ReplyText;
import dev.mailroom.core.recipient.RecipientStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A batch's outcomes in one statement whose text never changes (array binds, prepared once per
 * connection): recipients leave {@code sending} (only rows of this claim's fence) and their attempt rows
 * get the SMTP result, with the named fault when the relay failed or refused us. An attempt the recipient had
 * no part in (never sent, the relay refused us) is given back: the recipient's {@code attempts} counts it no
 * more, and its row says so by its outcome ({@link AttemptRow#NOT_COUNTED}). Returns the rows that moved, for
 * the counters, suppressions and webhooks of the same transaction.
 */
final class SettleBatchSql {
    record Moved(long id, RecipientStatus status, String email, String messageId, String lastError) {}

    private static final String SQL = """
            with v as (
                select * from unnest(?::bigint[], ?::text[], ?::text[], ?::timestamptz[], ?::text[], ?::int[],
                                     ?::int[], ?::text[], ?::text[]) as v(rid, status, err, retry, outcome, code, dur, reply, fault)
            ), moved as (
                update campaign_recipient r
                   set status = v.status, last_error = v.err, retry_at = v.retry,
                       sent_at = case when v.status = 'sent' then ? else r.sent_at end,
                       attempts = case when v.outcome in (%s) then r.attempts - 1 else r.attempts end
                  from v
                 where r.id = v.rid and r.status = 'sending' and r.fence = ?
             returning r.id, r.status, r.email, r.message_id, r.last_error
            ), attempts as (
                update delivery_attempt a
                   set outcome = v.outcome, smtp_code = v.code, reply = v.reply, duration_ms = v.dur, fault = v.fault
                  from v
                 where a.recipient_id = v.rid and a.outcome = 'sending'
            )
            select id, status, email, message_id, last_error from moved
            """.formatted(AttemptRow.NOT_COUNTED.stream().map(o -> "'" + o + "'").collect(Collectors.joining(", ")));

    private SettleBatchSql() {}

    static List<Moved> run(Connection c, long fence, List<RecipientOutcome> outcomes, Instant now) throws SQLException {
        int n = outcomes.size();
        Long[] ids = new Long[n];
        String[] statuses = new String[n];
        String[] errors = new String[n];
        Timestamp[] retries = new Timestamp[n];
        String[] kinds = new String[n];
        Integer[] codes = new Integer[n];
        Integer[] durations = new Integer[n];
        String[] replies = new String[n];
        String[] faults = new String[n];
        for (int i = 0; i < n; i++) {
            RecipientOutcome o = outcomes.get(i);
            String reply = ReplyText.clean(o.outcome().reply());
            ids[i] = o.recipientId();
            statuses[i] = o.next().wire();
            errors[i] = o.next() == RecipientStatus.SENT ? null : reply;
            retries[i] = o.retryAt() == null ? null : Timestamp.from(o.retryAt());
            kinds[i] = OutcomeWriter.attemptOutcome(o.outcome());
            codes[i] = o.outcome().code();
            durations[i] = (int) o.durationMs();
            replies[i] = reply;
            faults[i] = o.outcome().fault() == null ? null : o.outcome().fault().wire();
        }
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.setArray(2, c.createArrayOf("text", statuses));
            ps.setArray(3, c.createArrayOf("text", errors));
            ps.setArray(4, c.createArrayOf("timestamptz", retries));
            ps.setArray(5, c.createArrayOf("text", kinds));
            ps.setArray(6, c.createArrayOf("int4", codes));
            ps.setArray(7, c.createArrayOf("int4", durations));
            ps.setArray(8, c.createArrayOf("text", replies));
            ps.setArray(9, c.createArrayOf("text", faults));
            ps.setTimestamp(10, Timestamp.from(now));
            ps.setLong(11, fence);
            List<Moved> moved = new ArrayList<>(n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    moved.add(new Moved(rs.getLong(1), RecipientStatus.fromWire(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5)));
                }
            }
            return moved;
        }
    }
}
