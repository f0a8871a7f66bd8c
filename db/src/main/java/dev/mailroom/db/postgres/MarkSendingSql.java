package dev.mailroom.db.postgres;

import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.error.LostClaim;
import dev.mailroom.core.port.Claim;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Marking a batch {@code sending} (I7) as one statement whose text never changes, whatever the batch size:
 * the batch goes in as two arrays (riverqueue/river's way), so PgJDBC prepares it once per connection and
 * nothing is rendered per batch. In that one statement: the fence is checked (I10, share lock), the rows
 * move, their attempt rows are written, the counters move with them (I9), and last_batch_at is set.
 */
final class MarkSendingSql {
    private static final String SQL = """
            with fence as (
                select status from campaign_queue where campaign_id = ? and fence = ? for share
            ), marked as (
                update campaign_recipient r
                   set status = 'sending', message_id = v.mid, attempts = r.attempts + 1, fence = ?,
                       attempted_at = ?, retry_at = null
                  from unnest(?::bigint[], ?::text[]) as v(rid, mid)
                 where r.id = v.rid and r.campaign_id = ? and r.status = 'pending'
                   and (select status from fence) = 'processing'
             returning r.id, r.attempts, r.email
            ), attempts as (
                insert into delivery_attempt (sender_id, campaign_id, recipient_id, attempt_no, outcome, worker_id,
                                              attempted_at, recipient_domain)
                select ?, ?, id, attempts, 'sending', ?, ?, split_part(email, '@', 2) from marked
            ), counters as (
                update campaign set pending = pending - m.n, sending = sending + m.n
                  from (select count(*)::int as n from marked) m
                 where id = ? and m.n > 0
            ), last_batch as (
                update campaign_queue set last_batch_at = ?
                 where campaign_id = ? and exists (select 1 from marked)
            )
            select (select status from fence), array(select id from marked)
            """;

    private MarkSendingSql() {}

    /** Returns the ids marked; empty when the campaign is no longer processing; LostClaim when the fence moved. */
    static Set<Long> run(Connection c, Claim claim, List<OutgoingMessage> messages, Instant now) throws SQLException {
        Long[] ids = new Long[messages.size()];
        String[] mids = new String[messages.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = messages.get(i).key();
            mids[i] = messages.get(i).messageId();
        }
        Timestamp at = Timestamp.from(now);
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            int p = 1;
            ps.setLong(p++, claim.campaignId());
            ps.setLong(p++, claim.fence());
            ps.setLong(p++, claim.fence());
            ps.setTimestamp(p++, at);
            ps.setArray(p++, c.createArrayOf("bigint", ids));
            ps.setArray(p++, c.createArrayOf("text", mids));
            ps.setLong(p++, claim.campaignId());
            ps.setLong(p++, claim.senderId());
            ps.setLong(p++, claim.campaignId());
            ps.setString(p++, claim.workerId());
            ps.setTimestamp(p++, at);
            ps.setLong(p++, claim.campaignId());
            ps.setTimestamp(p++, at);
            ps.setLong(p, claim.campaignId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getString(1) == null) throw new LostClaim(claim.campaignId(), claim.fence());
                Array marked = rs.getArray(2);
                Set<Long> out = new HashSet<>();
                for (Long id : (Long[]) marked.getArray()) out.add(id);
                return out;
            }
        }
    }
}
