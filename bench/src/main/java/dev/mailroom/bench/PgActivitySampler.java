package dev.mailroom.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A poor man's pg_stat_statements (which needs a server restart to load): samples pg_stat_activity of
 * the harness database every 10 ms and counts, per statement, how often a backend was busy with it. The
 * shares tell which statements PostgreSQL spends its time on during the run.
 */
final class PgActivitySampler implements AutoCloseable {
    private final HarnessEnv env;
    private final Map<String, Long> busy = new HashMap<>();
    private final Thread thread;
    private volatile boolean stop;
    private long samples;

    PgActivitySampler(HarnessEnv env) {
        this.env = env;
        this.thread = Thread.ofPlatform().daemon().name("pg-activity").start(this::run);
    }

    private void run() {
        try (Connection c = DriverManager.getConnection(env.jdbcUrl(), env.dbUser(), env.dbPassword());
             Statement s = c.createStatement()) {
            while (!stop) {
                try (ResultSet rs = s.executeQuery("select left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as q, "
                        + "coalesce(wait_event_type || ':' || wait_event, 'CPU') as w from pg_stat_activity "
                        + "where datname = current_database() and state = 'active' and pid <> pg_backend_pid()")) {
                    synchronized (busy) {
                        samples++;
                        while (rs.next()) busy.merge(rs.getString(1) + "  [" + rs.getString(2) + "]", 1L, Long::sum);
                    }
                }
                Thread.sleep(10);
            }
        } catch (SQLException | InterruptedException e) {
            // stopped
        }
    }

    /** Statement → busy backends on average (1.0 = one backend always busy with it), the top ones. */
    Map<String, Object> summary(int top) {
        Map<String, Object> out = new LinkedHashMap<>();
        synchronized (busy) {
            out.put("samples", samples);
            busy.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                    .forEach(e -> out.put(e.getKey(), Percentiles.round((double) e.getValue() / Math.max(1, samples))));
        }
        return out;
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
