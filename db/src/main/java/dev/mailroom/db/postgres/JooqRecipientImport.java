package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Iterator;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads recipients in bulk inside the caller's transaction:
 * 1. COPY the rows as they arrive into a temp table (dropped at commit) — nothing is held in memory;
 * 2. insert them into campaign_recipient with {@code on conflict do nothing}, so an address already in
 *    the campaign (or twice in the upload) is stored once; suppressed addresses (I13) land as
 *    {@code suppressed}, the rest as {@code pending}. The rows are read in the temp table's heap order,
 *    which for a freshly copied table is the upload's order (no sort: it costs ~1 s per million rows);
 *    {@code line} is kept for diagnostics;
 * 3. add exactly the inserted rows to the campaign's counters, in the same transaction (I9).
 * If the row source throws (a bad row), the transaction rolls back and nothing is written.
 */
public final class JooqRecipientImport {
    private static final int ANALYZE_AFTER_ROWS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(JooqRecipientImport.class);
    private static final Table<?> TMP = DSL.table(DSL.name("tmp_recipient_import"));
    private static final Field<Long> LINE = DSL.field(DSL.name("line"), SQLDataType.BIGINT);
    private static final Field<String> EMAIL = DSL.field(DSL.name("email"), SQLDataType.VARCHAR(254));
    private static final Field<String> NAME = DSL.field(DSL.name("name"), SQLDataType.CLOB);
    private static final Field<String> VARS = DSL.field(DSL.name("vars"), SQLDataType.CLOB);
    /** Qualified, so inside the suppression sub-query "email" still means the upload's column. */
    private static final Field<String> TMP_EMAIL = DSL.field(DSL.name("tmp_recipient_import", "email"), SQLDataType.VARCHAR(254));
    private static final String COPY = "COPY tmp_recipient_import (line, email, name, vars) FROM STDIN (FORMAT csv)";
    private static final int FLUSH_BYTES = 1 << 16;

    private JooqRecipientImport() {}

    public record Loaded(int pending, int suppressed) {
        public int total() {
            return pending + suppressed;
        }
    }

    /** Must run inside a transaction ({@code tx} is its context). */
    public static Loaded load(DSLContext tx, long campaignId, Iterator<NewRecipient> rows) {
        tx.createTemporaryTable(TMP).column(LINE).column(EMAIL).column(NAME).column(VARS).onCommitDrop().execute();
        long t0 = System.nanoTime();
        tx.connection(c -> copy(c.unwrap(PGConnection.class), rows));
        long t1 = System.nanoTime();
        Condition suppressed = DSL.exists(DSL.selectOne().from(SUPPRESSION).where(SUPPRESSION.EMAIL.eq(TMP_EMAIL)));
        // Usually no address of the upload is suppressed: then one pass inserts everything as pending.
        boolean anySuppressed = tx.fetchExists(DSL.selectOne().from(TMP).where(suppressed));
        int s = anySuppressed ? insert(tx, campaignId, "suppressed", suppressed) : 0;
        int p = insert(tx, campaignId, "pending", anySuppressed ? DSL.not(suppressed) : DSL.noCondition());
        if (p + s > 0) {
            tx.update(CAMPAIGN).set(CAMPAIGN.TOTAL, CAMPAIGN.TOTAL.plus(p + s))
                    .set(CAMPAIGN.PENDING, CAMPAIGN.PENDING.plus(p))
                    .set(CAMPAIGN.SUPPRESSED, CAMPAIGN.SUPPRESSED.plus(s))
                    .where(CAMPAIGN.ID.eq(campaignId)).execute();
        }
        // A large load changes the table's shape faster than autoanalyze notices; fresh statistics keep
        // the send loop's queries on their indexes.
        if (p + s >= ANALYZE_AFTER_ROWS) tx.execute("analyze campaign_recipient");
        log.info("campaign {}: {} recipients loaded ({} suppressed); copy {} ms, insert {} ms", campaignId, p + s, s,
                (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        return new Loaded(p, s);
    }

    private static int insert(DSLContext tx, long campaignId, String status, Condition which) {
        return tx.insertInto(CAMPAIGN_RECIPIENT, CAMPAIGN_RECIPIENT.CAMPAIGN_ID, CAMPAIGN_RECIPIENT.EMAIL,
                        CAMPAIGN_RECIPIENT.NAME, CAMPAIGN_RECIPIENT.VARS, CAMPAIGN_RECIPIENT.STATUS)
                .select(DSL.select(DSL.val(campaignId), TMP_EMAIL, NAME, VARS, DSL.val(status))
                        .from(TMP).where(which))
                .onConflictDoNothing().execute();
    }

    private static void copy(PGConnection pg, Iterator<NewRecipient> rows) throws SQLException {
        CopyIn in = pg.getCopyAPI().copyIn(COPY);
        try {
            StringBuilder buf = new StringBuilder(FLUSH_BYTES + 1024);
            while (rows.hasNext()) {
                NewRecipient r = rows.next();
                buf.append(r.line()).append(',');
                csv(buf, r.email()).append(',');
                csv(buf, r.name()).append(',');
                csv(buf, r.varsJson()).append('\n');
                if (buf.length() >= FLUSH_BYTES) flush(in, buf);
            }
            flush(in, buf);
            in.endCopy();
        } finally {
            if (in.isActive()) in.cancelCopy();
        }
    }

    private static void flush(CopyIn in, StringBuilder buf) throws SQLException {
        if (buf.isEmpty()) return;
        byte[] bytes = buf.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
        buf.setLength(0);
    }

    /** CSV for COPY: null is an unquoted empty field, any string is quoted (so "" stays an empty string). */
    private static StringBuilder csv(StringBuilder b, String v) {
        if (v == null) return b;
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == '"') b.append('"');
            if (ch != 0) b.append(ch);
        }
        return b.append('"');
    }
}
