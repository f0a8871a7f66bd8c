package dev.mailroom.db;

import dev.mailroom.core.config.EnvNumbers;
import java.util.Map;

/** Reads MAILROOM_DB_* from a process environment handed over by a main. */
public final class DbEnv {
    private DbEnv() {}

    public static DbConfig fromEnvironment(Map<String, String> env, int poolSize) {
        return new DbConfig(
                env.getOrDefault("MAILROOM_DB_URL", DbConfig.DEFAULT_URL),
                env.getOrDefault("MAILROOM_DB_USER", "postgres"),
                env.getOrDefault("MAILROOM_DB_PASSWORD", ""),
                EnvNumbers.intOf(env, "MAILROOM_DB_POOL_SIZE", poolSize));
    }

    /** The URL without any password query parameter (I14). */
    public static String redactedUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
