package dev.mailroom.db.secrets;

import dev.mailroom.core.bounce.BounceMailbox;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.sender.DkimKey;
import dev.mailroom.core.sender.SmtpSettings;
import dev.mailroom.core.webhook.WebhookCall;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The columns that hold secrets sealed at rest (I19), each with the purpose it is sealed under, and the two
 * bulk rewrites over them: sealing values still in clear (migration V5) and re-sealing under the ring's current
 * key (rotation). Plain JDBC on the caller's connection, so each runs inside the caller's transaction.
 */
public final class SealedColumns {
    /** One sealed column of a table keyed by {@code id}. */
    public record Column(String table, String column, String purpose) {
        @Override
        public String toString() {
            return table + "." + column;
        }
    }

    public static final Column SMTP_PASSWORD = new Column("sender", "smtp_password", SmtpSettings.PASSWORD_SEAL_PURPOSE);
    public static final Column DKIM_PRIVATE_KEY = new Column("sender", "dkim_private_key", DkimKey.SEAL_PURPOSE);
    public static final Column BOUNCE_IMAP_PASSWORD = new Column("sender", "bounce_imap_password", BounceMailbox.PASSWORD_PURPOSE);
    public static final Column WEBHOOK_SECRET = new Column("webhook_endpoint", "secret", WebhookCall.SECRET_SEAL_PURPOSE);

    public static final List<Column> ALL = List.of(SMTP_PASSWORD, DKIM_PRIVATE_KEY, BOUNCE_IMAP_PASSWORD, WEBHOOK_SECRET);

    private final SecretSealer sealer;
    private final String currentKid;

    public SealedColumns(SecretSealer sealer, String currentKid) {
        this.sealer = sealer;
        this.currentKid = currentKid;
    }

    /** Seals every non-empty value of {@code c} still in clear; returns how many. */
    public int sealPlaintext(Connection connection, Column c) throws SQLException {
        return rewrite(connection, c, v -> SecretSealer.isSealed(v) ? null : sealer.seal(v, c.purpose()));
    }

    /**
     * Re-seals every value of {@code c} sealed under an older key with the current one; returns how many.
     * A value that does not open (its key left the ring) throws {@link IllegalStateException}, naming the row
     * and never the value, so the caller rolls back.
     */
    public int reseal(Connection connection, Column c) throws SQLException {
        return rewrite(connection, c, v -> {
            if (currentKid.equals(SecretSealer.kidOf(v))) return null;
            return sealer.seal(sealer.open(v, c.purpose()), c.purpose());
        });
    }

    /** {@code change} gives the new value, or null to leave the row as it is. */
    private static int rewrite(Connection connection, Column c, UnaryOperator<String> change) throws SQLException {
        record Row(long id, String value) {}
        List<Row> rows = new ArrayList<>();
        // Table and column names come from the constants above, never from input.
        try (PreparedStatement select = connection.prepareStatement("select id, " + c.column() + " from " + c.table()
                + " where " + c.column() + " is not null and " + c.column() + " <> '' order by id for update");
             ResultSet rs = select.executeQuery()) {
            while (rs.next()) rows.add(new Row(rs.getLong(1), rs.getString(2)));
        }
        int changed = 0;
        try (PreparedStatement update = connection.prepareStatement(
                "update " + c.table() + " set " + c.column() + " = ? where id = ?")) {
            for (Row row : rows) {
                String next;
                try {
                    next = change.apply(row.value());
                } catch (SecretSealer.SealedSecretUnreadable e) {
                    throw new IllegalStateException("row " + row.id() + " of " + c + ": " + e.getMessage(), e);
                }
                if (next == null) continue;
                update.setString(1, next);
                update.setLong(2, row.id());
                update.addBatch();
                changed++;
            }
            if (changed > 0) update.executeBatch();
        }
        return changed;
    }
}
