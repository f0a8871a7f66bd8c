package dev.mailroom.db;

import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * A schema of a migration test's own, migrated step by step with the real migrations, so rows an earlier
 * version stored can meet the next migration while the shared test schema stays untouched. Dropped on close.
 */
public final class ScratchSchema implements AutoCloseable {
    private final String name;
    private final KeyRing ring;

    public ScratchSchema(String name) {
        this.name = name;
        this.ring = KeyRing.parse(TestServices.SECRET_KEY);
    }

    /** The migrations into this schema; {@code .target(v)} stops them at a version. */
    public FluentConfiguration flyway() {
        PostgresExtension.dataSource(); // the shared schema exists and is migrated first
        return Migrations.configure(null, ring).dataSource(TestServices.dbUrl(), TestServices.dbUser(), TestServices.dbPassword())
                .schemas(name).createSchemas(true);
    }

    /** A connection whose unqualified names are this schema's. */
    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(TestServices.dbUrl(), TestServices.dbUser(), TestServices.dbPassword());
        try (Statement s = c.createStatement()) {
            s.execute("set search_path to " + name);
        }
        return c;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(TestServices.dbUrl(), TestServices.dbUser(), TestServices.dbPassword());
             Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + name + " cascade");
        }
    }
}
