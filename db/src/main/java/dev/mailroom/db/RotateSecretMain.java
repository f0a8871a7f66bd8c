package dev.mailroom.db;

import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.db.secrets.SealedColumns;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * {@code scripts/mailroom rotate-secret}: re-seals every secret stored at rest (I19) under the first key of
 * {@code MAILROOM_SECRET_KEY}, in one transaction, and prints how many per column — never a value. Run it
 * with the new key first and the old ones after it ({@code k2:…,k1:…}); once it has run, the old keys can
 * leave the ring. A value no key of the ring opens aborts the whole run, nothing changed.
 */
public final class RotateSecretMain {
    private RotateSecretMain() {}

    public static void main(String[] args) {
        DbConfig config = DbEnv.fromEnvironment(System.getenv(), 2);
        KeyRing ring = KeyRing.fromEnvironment(System.getenv());
        try (Database db = Database.connect(config, "rotate-secret")) {
            Map<SealedColumns.Column, Integer> counts = rotate(db.dataSource(), ring);
            print(counts, ring.currentKid(), System.out);
        } catch (SQLException | IllegalStateException e) {
            System.err.println("rotate-secret: nothing changed: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Re-seals every sealed column under {@code ring}'s current key in one transaction; the count per column. */
    public static Map<SealedColumns.Column, Integer> rotate(DataSource dataSource, KeyRing ring) throws SQLException {
        var columns = new SealedColumns(new SecretSealer(ring), ring.currentKid());
        Map<SealedColumns.Column, Integer> counts = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (SealedColumns.Column column : SealedColumns.ALL) counts.put(column, columns.reseal(c, column));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return counts;
    }

    static void print(Map<SealedColumns.Column, Integer> counts, String kid, PrintStream out) {
        counts.forEach((column, n) -> out.println(column + ": " + n + " re-sealed under " + kid));
    }
}
