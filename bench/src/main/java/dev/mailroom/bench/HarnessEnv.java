package dev.mailroom.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the harness runs and what it points the real processes at, read once from the environment the
 * wrapper script prepared (scripts/bench, scripts/chaos). Every address is on the loopback.
 *
 * @param root       the repository root
 * @param processRoot where the processes start from: {@code processRoot/scripts/mailroom} (the wrapper's
 *                    snapshot of scripts/ and the module jars, BENCH_PROCESS_ROOT; default the root)
 * @param runDir     logs, CSV files, pids and results of this run
 * @param pgHost     PostgreSQL host, always a loopback address
 * @param dbName     the harness's own database, dropped and created afresh each run
 * @param redisDb    the harness's own Redis database index (flushed each run)
 * @param redisPrefix key prefix handed to the processes
 * @param javaOpts    the workers' MAILROOM_JAVA_OPTS (BENCH_WORKER_JAVA_OPTS; empty: the worker's default;
 *                    {id} becomes the worker's name)
 * @param webJavaOpts the web process's MAILROOM_JAVA_OPTS (BENCH_WEB_JAVA_OPTS)
 * @param redisSentinel "host:port,host:port/master name" of a Sentinel set the processes use instead of
 *                      redisHost:redisPort (BENCH_REDIS_SENTINEL; null for one server)
 */
public record HarnessEnv(Path root, Path processRoot, Path runDir, String pgHost, int pgPort, String dbName, String dbUser,
                         String dbPassword, String redisHost, int redisPort, int redisDb, String redisPrefix,
                         int httpPort, String adminKey, String javaOpts, String webJavaOpts, String redisSentinel) {

    public HarnessEnv {
        if (!Files.isExecutable(processRoot.resolve("scripts/mailroom"))) {
            throw new IllegalArgumentException(processRoot + "/scripts/mailroom not found: set MAILROOM_ROOT");
        }
        requireLoopback(pgHost, "PostgreSQL");
        requireLoopback(redisHost, "Redis");
        if (!dbName.matches("[a-z0-9_]+")) throw new IllegalArgumentException("database name " + dbName);
        if (adminKey.length() < 16) throw new IllegalArgumentException("admin key must have 16+ characters");
    }

    /**
     * @param defaults the harness's own defaults (database, Redis index and prefix, HTTP port), overridable
     *                 by BENCH_DB_NAME, BENCH_REDIS_DB, BENCH_REDIS_PREFIX, BENCH_HTTP_PORT
     */
    public static HarnessEnv fromEnvironment(Map<String, String> env, String dbName, int redisDb, String prefix,
                                             int httpPort, String runDirName) {
        Path root = Path.of(env.getOrDefault("MAILROOM_ROOT", ".")).toAbsolutePath().normalize();
        URI redis = URI.create(env.getOrDefault("BENCH_REDIS_URL", "redis://127.0.0.1:6379"));
        return new HarnessEnv(root,
                Path.of(env.getOrDefault("BENCH_PROCESS_ROOT", root.toString())),
                Path.of(env.getOrDefault("BENCH_RUN_DIR", root.resolve("bench/target/" + runDirName).toString())),
                env.getOrDefault("BENCH_PG_HOST", "127.0.0.1"),
                Integer.parseInt(env.getOrDefault("BENCH_PG_PORT", "5432")),
                env.getOrDefault("BENCH_DB_NAME", dbName),
                env.getOrDefault("BENCH_DB_USER", "postgres"),
                env.getOrDefault("BENCH_DB_PASSWORD", ""),
                redis.getHost(), redis.getPort() < 0 ? 6379 : redis.getPort(),
                Integer.parseInt(env.getOrDefault("BENCH_REDIS_DB", Integer.toString(redisDb))),
                env.getOrDefault("BENCH_REDIS_PREFIX", prefix),
                Integer.parseInt(env.getOrDefault("BENCH_HTTP_PORT", Integer.toString(httpPort))),
                env.getOrDefault("BENCH_ADMIN_KEY", "bench-admin-key-" + Long.toHexString(System.nanoTime())),
                env.getOrDefault("BENCH_WORKER_JAVA_OPTS", ""),
                env.getOrDefault("BENCH_WEB_JAVA_OPTS", ""),
                env.get("BENCH_REDIS_SENTINEL"));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + dbName;
    }

    /**
     * What the web and worker processes connect with: BENCH_PROCESS_DB_URL when set (the same database
     * through PgBouncer, or with PgJDBC options such as prepareThreshold=0, to measure what they cost), else
     * {@link #jdbcUrl()}. The harness's own SQL always goes direct.
     */
    public String processJdbcUrl() {
        return System.getenv().getOrDefault("BENCH_PROCESS_DB_URL", jdbcUrl());
    }

    /** The maintenance database, to drop and create ours. */
    public String adminJdbcUrl() {
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/postgres";
    }

    public String redisUrl() {
        if (redisSentinel != null) return "redis-sentinel://" + redisSentinel + "/" + redisDb;
        return "redis://" + redisHost + ":" + redisPort + "/" + redisDb;
    }

    /** The key ring every process of this harness run shares (MAILROOM_SECRET_KEY), fresh per run. */
    public String secretKey() {
        return SECRET_KEY;
    }

    private static final String SECRET_KEY = "bench:" + java.util.Base64.getEncoder().encodeToString(
            new java.security.SecureRandom().generateSeed(32));

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public HarnessEnv withJavaOpts(String opts) {
        return new HarnessEnv(root, processRoot, runDir, pgHost, pgPort, dbName, dbUser, dbPassword, redisHost, redisPort, redisDb,
                redisPrefix, httpPort, adminKey, opts, webJavaOpts, redisSentinel);
    }

    private static void requireLoopback(String host, String what) {
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            throw new IllegalArgumentException(what + " must be on the loopback for the harness, not " + host);
        }
    }
}
