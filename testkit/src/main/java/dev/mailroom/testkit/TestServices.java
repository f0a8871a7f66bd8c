package dev.mailroom.testkit;

import java.util.Map;

/** Where the tests' real services are: MAILROOM_TEST_DB_URL / MAILROOM_TEST_REDIS_URL, local defaults. */
public final class TestServices {
    private TestServices() {}

    private static final Map<String, String> ENV = System.getenv();

    /** The tests' key ring: a fixed key, so a token signed by one test process verifies in another. */
    public static final String SECRET_KEY = "t1:" + java.util.Base64.getEncoder().encodeToString(
            "mailroom-tests-secret-key-32-byt".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    public static final String PUBLIC_URL = "https://mail.mailroom.test";

    public static String dbUrl() {
        return ENV.getOrDefault("MAILROOM_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    public static String dbUser() {
        return ENV.getOrDefault("MAILROOM_TEST_DB_USER", "postgres");
    }

    public static String dbPassword() {
        return ENV.getOrDefault("MAILROOM_TEST_DB_PASSWORD", "");
    }

    /** Database 15 by default, so tests never flush a developer's running instance on 0. */
    public static String redisUrl() {
        return ENV.getOrDefault("MAILROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15");
    }

    /**
     * Prefix of every Redis key and channel the tests use. It names the Redis database because pub/sub
     * channels are shared by all databases of a server: without it, concurrent test runs on one Redis
     * (each on its own database) would hear each other's wake-ups, pause signals and campaign events.
     */
    public static String redisPrefix() {
        String path = java.net.URI.create(redisUrl()).getPath();
        return "mrtest:" + (path == null || path.length() <= 1 ? "0" : path.substring(1)) + ":";
    }

    /** The environment a Mailroom main would see, pointed at the test services. */
    public static Map<String, String> mainEnvironment(Map<String, String> extra) {
        var env = new java.util.HashMap<String, String>();
        env.put("MAILROOM_DB_URL", dbUrl());
        env.put("MAILROOM_DB_USER", dbUser());
        env.put("MAILROOM_DB_PASSWORD", dbPassword());
        env.put("MAILROOM_REDIS_URL", redisUrl());
        env.put("MAILROOM_REDIS_PREFIX", redisPrefix());
        env.put("MAILROOM_SECRET_KEY", SECRET_KEY);
        env.put("MAILROOM_PUBLIC_URL", PUBLIC_URL);
        env.putAll(extra);
        return env;
    }
}
