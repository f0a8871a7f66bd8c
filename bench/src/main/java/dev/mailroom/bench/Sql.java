package dev.mailroom.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain JDBC for what the harness checks behind the API's back. A fresh connection per call: the harness
 * restarts PostgreSQL on purpose, and a pool would hand out dead connections afterwards.
 */
public final class Sql {
    private final HarnessEnv env;

    public Sql(HarnessEnv env) {
        this.env = env;
    }

    /** Drops and creates the harness database; the web process migrates it when it starts. */
    public static void recreateDatabase(HarnessEnv env) throws SQLException {
        try (Connection c = DriverManager.getConnection(env.adminJdbcUrl(), env.dbUser(), env.dbPassword());
             Statement s = c.createStatement()) {
            s.execute("drop database if exists " + env.dbName() + " with (force)");
            s.execute("create database " + env.dbName());
        }
    }

    public long one(String sql, Object... args) {
        List<Map<String, Object>> rows = rows(sql, args);
        if (rows.isEmpty()) return 0;
        Object v = rows.get(0).values().iterator().next();
        return v == null ? 0 : ((Number) v).longValue();
    }

    public Map<String, Object> row(String sql, Object... args) {
        List<Map<String, Object>> rows = rows(sql, args);
        return rows.isEmpty() ? Map.of() : rows.get(0);
    }

    public List<Map<String, Object>> rows(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                List<Map<String, Object>> out = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    out.add(row);
                }
                return out;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Streams one column of longs (e.g. a million latencies) without keeping rows around. */
    public long[] longs(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(false); // the driver only streams (fetch size) inside a transaction
            ps.setFetchSize(10_000);
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                long[] out = new long[1024];
                int n = 0;
                while (rs.next()) {
                    if (n == out.length) out = java.util.Arrays.copyOf(out, n * 2);
                    out[n++] = rs.getLong(1);
                }
                c.commit();
                return java.util.Arrays.copyOf(out, n);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** A timestamptz column's value (the driver returns java.sql.Timestamp) as an Instant; null stays null. */
    public static java.time.Instant instant(Object v) {
        if (v == null) return null;
        if (v instanceof java.sql.Timestamp t) return t.toInstant();
        if (v instanceof java.time.OffsetDateTime o) return o.toInstant();
        throw new IllegalArgumentException("not a timestamp: " + v.getClass());
    }

    /** True when PostgreSQL answers now. */
    public boolean reachable() {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("select 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private Connection connect() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", env.dbUser());
        p.setProperty("password", env.dbPassword());
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "120");
        Connection c = DriverManager.getConnection(env.jdbcUrl(), p);
        // A statement, not the startup parameter "options" (-c TimeZone=UTC), which PgBouncer refuses.
        try (Statement s = c.createStatement()) {
            s.execute("set time zone 'UTC'");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }
}
