package dev.mailroom.testkit;

import java.io.IOException;
import java.io.InputStream;
import dev.mailroom.core.config.RedisUrl;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Where the tests' real services are: MAILROOM_TEST_DB_URL / MAILROOM_TEST_REDIS_URL (local defaults) when
 * they answer, else containers when Docker is reachable ({@link ServiceChoice}); chosen once per JVM.
 */
public final class TestServices {
    private TestServices() {}

    private static final Map<String, String> ENV = System.getenv();
    /** Refused is at once; an address nobody answers at takes this long to give up on. */
    private static final int CONNECT_TIMEOUT_SECONDS = 5;
    /**
     * A reply may take a while on a busy machine or while a test holds Redis with CLIENT PAUSE (12 s in
     * SenderLockStallTest, felt by every run on the server): still the local service, which answers in time.
     */
    private static final int REPLY_TIMEOUT_SECONDS = 30;

    /** A PostgreSQL database and how to log in. */
    public record Database(String url, String user, String password) {}

    private static Database database;
    private static String redisUrl;

    /** The tests' key ring: a fixed key, so a token signed by one test process verifies in another. */
    public static final String SECRET_KEY = "t1:" + java.util.Base64.getEncoder().encodeToString(
            "mailroom-tests-secret-key-32-byt".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    public static final String PUBLIC_URL = "https://mail.mailroom.test";

    public static String dbUrl() {
        return database().url();
    }

    public static String dbUser() {
        return database().user();
    }

    public static String dbPassword() {
        return database().password();
    }

    /** Database 15 by default, so tests never flush a developer's running instance on 0. */
    public static synchronized String redisUrl() {
        if (redisUrl == null) {
            String local = ENV.getOrDefault("MAILROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15");
            var service = new ServiceChoice.Service("Redis", "MAILROOM_TEST_REDIS_URL", local);
            if (RedisUrl.parse(local).shape() != RedisUrl.Shape.SINGLE) { // a container would be another shape
                String problem = redisProblem(local);
                if (problem != null) throw new IllegalStateException("MAILROOM_TEST_REDIS_URL " + local + ": " + problem);
                return redisUrl = local;
            }
            redisUrl = switch (ServiceChoice.choose(service, () -> redisProblem(local), () -> ServiceContainers.dockerReachable())) {
                case LOCAL -> local;
                case CONTAINER -> ServiceContainers.redis(RedisUrl.parse(local).database());
            };
        }
        return redisUrl;
    }

    private static synchronized Database database() {
        if (database == null) {
            Database local = new Database(ENV.getOrDefault("MAILROOM_TEST_DB_URL", "jdbc:postgresql://127.0.0.1:5432/test"),
                    ENV.getOrDefault("MAILROOM_TEST_DB_USER", "postgres"), ENV.getOrDefault("MAILROOM_TEST_DB_PASSWORD", ""));
            var service = new ServiceChoice.Service("PostgreSQL", "MAILROOM_TEST_DB_URL", local.url());
            database = switch (ServiceChoice.choose(service, () -> postgresProblem(local), () -> ServiceContainers.dockerReachable())) {
                case LOCAL -> local;
                case CONTAINER -> ServiceContainers.postgres();
            };
        }
        return database;
    }

    /** Null when a login to the database works; else why not. */
    private static String postgresProblem(Database db) {
        Properties login = new Properties();
        login.setProperty("user", db.user());
        login.setProperty("password", db.password());
        login.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        login.setProperty("loginTimeout", Integer.toString(REPLY_TIMEOUT_SECONDS));
        try (Connection c = DriverManager.getConnection(db.url(), login)) {
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    /**
     * Null when something at the URL's (first) address answers a PING the way Redis does (NOAUTH included);
     * else why not. A Sentinel answers PING too.
     */
    private static String redisProblem(String url) {
        RedisUrl.Node node = RedisUrl.parse(url).first();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(node.host(), node.port()), CONNECT_TIMEOUT_SECONDS * 1000);
            s.setSoTimeout(REPLY_TIMEOUT_SECONDS * 1000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            int first = in.read();
            return first == '+' || first == '-' ? null : "no Redis reply to PING";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * Prefix of every Redis key and channel the tests use. It names the Redis database because pub/sub
     * channels are shared by all databases of a server: without it, concurrent test runs on one Redis
     * (each on its own database) would hear each other's wake-ups, pause signals and campaign events.
     */
    public static String redisPrefix() {
        RedisUrl where = RedisUrl.parse(redisUrl());
        return "mrtest:" + (where.shape() == RedisUrl.Shape.SINGLE ? "" : where.shape().name().toLowerCase(java.util.Locale.ROOT) + "-")
                + where.database() + ":";
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
