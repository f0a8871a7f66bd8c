package dev.mailroom.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real PostgreSQL: migrated once per JVM, every table truncated before each test. The session time
 * zone is deliberately not UTC so code that leans on the session zone shows itself.
 */
public final class PostgresExtension implements BeforeEachCallback {
    private static volatile HikariDataSource dataSource;

    public static synchronized DataSource dataSource() {
        if (dataSource == null) {
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(TestServices.dbUrl());
            hc.setUsername(TestServices.dbUser());
            hc.setPassword(TestServices.dbPassword());
            hc.setMaximumPoolSize(4);
            hc.setPoolName("test-admin");
            // A statement, not the startup parameter "options", which PgBouncer refuses (TimeZone it tracks per client).
            hc.setConnectionInitSql("set time zone 'Asia/Kathmandu'");
            dataSource = new HikariDataSource(hc);
            migrate(dataSource);
        }
        return dataSource;
    }

    /**
     * The test database is disposable: one left by another branch's migrations (a version it applied that
     * this tree lacks, or a file changed since) is emptied and migrated afresh rather than failing the run.
     */
    private static void migrate(DataSource dataSource) {
        try {
            flyway(dataSource).load().migrate();
        } catch (FlywayValidateException e) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("drop schema public cascade; create schema public");
            } catch (SQLException x) {
                throw new IllegalStateException("cannot empty the test database", x);
            }
            flyway(dataSource).load().migrate();
        }
    }

    /**
     * The db module's own Flyway set-up (SQL and Java migrations, the test key ring) when db is on the class
     * path — it depends on testkit for its tests, so it is found by name; the SQL migrations alone otherwise.
     */
    private static FluentConfiguration flyway(DataSource dataSource) {
        try {
            Class<?> migrations = Class.forName("dev.mailroom.db.Migrations");
            return (FluentConfiguration) migrations.getMethod("configure", DataSource.class, String.class)
                    .invoke(null, dataSource, TestServices.SECRET_KEY);
        } catch (ClassNotFoundException e) {
            return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set up the migrations", e);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        truncateAll();
    }

    public static void truncateAll() throws SQLException {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    do $$ declare t text; begin
                      select string_agg(format('%I', tablename), ', ') into t from pg_tables
                       where schemaname = current_schema() and tablename <> 'flyway_schema_history';
                      execute 'truncate ' || t || ' restart identity cascade';
                    end $$""");
        }
    }
}
