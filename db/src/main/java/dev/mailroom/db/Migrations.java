package dev.mailroom.db;

import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.db.migration.V5__SealExistingSecrets;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The one Flyway set-up every caller migrates with (web start, {@code scripts/mailroom migrate}, tests): the SQL
 * migrations in {@code db/migration} plus the Java ones that need the secret key ring (I19).
 */
public final class Migrations {
    private static final String LOCATION = "classpath:db/migration";

    private Migrations() {}

    public static FluentConfiguration configure(DataSource dataSource, KeyRing ring) {
        return Flyway.configure().dataSource(dataSource).locations(LOCATION)
                .javaMigrations(new V5__SealExistingSecrets(ring));
    }

    /** For testkit, which cannot depend on this module: the ring as {@code MAILROOM_SECRET_KEY} spells it. */
    public static FluentConfiguration configure(DataSource dataSource, String secretKey) {
        return configure(dataSource, KeyRing.parse(secretKey));
    }

    public static void migrate(DataSource dataSource, KeyRing ring) {
        configure(dataSource, ring).load().migrate();
    }

    /** True when the schema has every migration this build knows; reads only, so it needs no ring. */
    public static boolean applied(DataSource dataSource) {
        var info = configure(dataSource, (KeyRing) null).load().info();
        return info.pending().length == 0 && info.current() != null;
    }
}
