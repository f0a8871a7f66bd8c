package dev.mailroom.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code scripts/mailroom migrate}: applies the Flyway migrations and exits. */
public final class MigrateMain {
    private static final Logger log = LoggerFactory.getLogger(MigrateMain.class);

    public static void main(String[] args) {
        DbConfig config = DbEnv.fromEnvironment(System.getenv(), 2);
        try (Database db = Database.connect(config, "migrate")) {
            db.migrate();
            log.info("migrations applied to {}", DbEnv.redactedUrl(config.url()));
        }
    }
}
