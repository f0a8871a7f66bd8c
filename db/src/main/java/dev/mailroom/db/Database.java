package dev.mailroom.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mailroom.core.secret.KeyRing;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/** The connection pool, the jOOQ context over it, and the migrations. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final DSLContext dsl;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES,
                new Settings().withExecuteLogging(false).withRenderSchema(false));
    }

    public static Database connect(DbConfig config, String poolName) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.url());
        hc.setUsername(config.user());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(config.poolSize());
        hc.setPoolName(poolName);
        hc.setConnectionTimeout(10_000);
        // Times are instants: the session zone must never shift them. Set by a statement, not by the startup
        // parameter "options" (-c TimeZone=UTC), which PgBouncer refuses; behind PgBouncer in transaction pooling
        // mode the setting still holds on every server connection, TimeZone being one of the parameters it tracks
        // per client (and re-applies when it hands the client another server connection).
        hc.setConnectionInitSql("set time zone 'UTC'");
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new Database(new HikariDataSource(hc));
    }

    /** True when the schema has every migration this build knows. */
    public boolean migrationsApplied() {
        return Migrations.applied(dataSource);
    }

    /** {@code ring} seals secrets still stored in clear (I19). */
    public void migrate(KeyRing ring) {
        Migrations.migrate(dataSource, ring);
    }

    public DSLContext dsl() {
        return dsl;
    }

    public DataSource dataSource() {
        return dataSource;
    }


    @Override
    public void close() {
        dataSource.close();
    }
}
