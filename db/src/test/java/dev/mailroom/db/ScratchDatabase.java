package dev.mailroom.db;

import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * A database of a migration test's own, migrated step by step with the real migrations, so rows an earlier
 * version stored can meet the next migration while the shared test database stays untouched. Named after the
 * test database ({@code <test db>_<name>}), so test runs on other databases of the server keep to theirs; created
 * afresh, dropped on close.
 *
 * <p>A database rather than a schema of the test database: a schema would have to be chosen with a session
 * setting ({@code search_path}, which Flyway's {@code schemas} sets too), and behind PgBouncer in transaction pooling
 * mode a session setting holds on whichever server connection ran it — the next statement may run on another, and
 * the setting stays behind for other clients. A database is chosen at login, which PgBouncer honours.
 */
public final class ScratchDatabase implements AutoCloseable {
    private static final Pattern DB_IN_URL = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(.*)$");

    private final String name;
    private final String url;
    private final KeyRing ring;

    public ScratchDatabase(String name) throws SQLException {
        Matcher m = DB_IN_URL.matcher(TestServices.dbUrl());
        if (!m.matches()) throw new IllegalStateException("not a PostgreSQL JDBC URL: " + TestServices.dbUrl());
        this.name = m.group(2) + "_" + name;
        this.url = m.group(1) + this.name + m.group(3);
        this.ring = KeyRing.parse(TestServices.SECRET_KEY);
        PostgresExtension.dataSource(); // the shared database is migrated first (and the login checked)
        admin("drop database if exists " + this.name + " with (force)");
        admin("create database " + this.name);
    }

    /** The migrations into this database; {@code .target(v)} stops them at a version. */
    public FluentConfiguration flyway() {
        return Migrations.configure(null, ring).dataSource(url, TestServices.dbUser(), TestServices.dbPassword());
    }

    /** A connection to this database. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, TestServices.dbUser(), TestServices.dbPassword());
    }

    @Override
    public void close() throws SQLException {
        admin("drop database if exists " + name + " with (force)");
    }

    /** Runs {@code sql} on the shared test database, outside any transaction (as CREATE/DROP DATABASE must). */
    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(TestServices.dbUrl(), TestServices.dbUser(), TestServices.dbPassword());
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
