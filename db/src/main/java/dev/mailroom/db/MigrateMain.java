package dev.mailroom.db;

import dev.mailroom.core.secret.KeyRing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code scripts/mailroom migrate}: applies the Flyway migrations and exits. Reads {@code MAILROOM_SECRET_KEY}:
 * a migration seals secrets still stored in clear (I19).
 */
public final class MigrateMain {
    private static final Logger log = LoggerFactory.getLogger(MigrateMain.class);

    public static void main(String[] args) {
        DbConfig config = DbEnv.fromEnvironment(System.getenv(), 2);
        KeyRing ring = KeyRing.fromEnvironment(System.getenv());
        try (Database db = Database.connect(config, "migrate")) {
            db.migrate(ring);
            log.info("migrations applied to {}", DbEnv.redactedUrl(config.url()));
        }
    }
}
