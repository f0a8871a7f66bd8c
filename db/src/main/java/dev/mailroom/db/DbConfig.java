package dev.mailroom.db;

/** Where PostgreSQL is; read once by each process's main from MAILROOM_DB_*. */
public record DbConfig(String url, String user, String password, int poolSize) {
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";

    public DbConfig {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("MAILROOM_DB_URL must be a jdbc:postgresql: URL");
        }
        if (poolSize < 1) throw new IllegalArgumentException("pool size must be at least 1");
    }
}
