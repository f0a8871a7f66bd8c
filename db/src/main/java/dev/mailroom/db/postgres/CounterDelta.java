package dev.mailroom.db.postgres;

import dev.mailroom.core.recipient.RecipientStatus;
import org.jooq.DSLContext;

/** Moves between a campaign's counters, applied in the transaction that moved the recipient rows (I9). */
final class CounterDelta {
    /** Every counter in one statement of fixed text (a zero adds nothing), in {@link RecipientStatus} order. */
    private static final String SQL = """
            update campaign set pending = pending + ?, sending = sending + ?, sent = sent + ?,
                   failed = failed + ?, uncertain = uncertain + ?, suppressed = suppressed + ?
             where id = ?""";
    private static final RecipientStatus[] COLUMNS = {RecipientStatus.PENDING, RecipientStatus.SENDING,
            RecipientStatus.SENT, RecipientStatus.FAILED, RecipientStatus.UNCERTAIN, RecipientStatus.SUPPRESSED};

    private final int[] delta = new int[RecipientStatus.values().length];

    CounterDelta move(RecipientStatus from, RecipientStatus to, int n) {
        if (n == 0 || from == to) return this;
        delta[from.ordinal()] -= n;
        delta[to.ordinal()] += n;
        return this;
    }

    void apply(DSLContext tx, long campaignId) {
        boolean any = false;
        for (int d : delta) any |= d != 0;
        if (!any) return;
        FixedSql.update(tx, SQL, ps -> {
            for (int i = 0; i < COLUMNS.length; i++) ps.setInt(i + 1, delta[COLUMNS[i].ordinal()]);
            ps.setLong(COLUMNS.length + 1, campaignId);
        });
    }
}
