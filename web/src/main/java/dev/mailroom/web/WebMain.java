package dev.mailroom.web;

import dev.mailroom.db.Database;
import dev.mailroom.db.postgres.JooqSendLedger;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisKeyRevocations;
import dev.mailroom.db.redis.RedisQuotaGate;
import dev.mailroom.web.auth.BootstrapKey;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code scripts/mailroom web}: reads the environment once, migrates the database, makes the
 * MAILROOM_ADMIN_KEY key the bootstrap admin key (hashed; a previous value's key is revoked), serves HTTP, and stops gracefully on SIGTERM. It starts no
 * scheduler and sends nothing (I1, I11).
 */
public final class WebMain {
    private static final Logger log = LoggerFactory.getLogger(WebMain.class);
    private static final long LOCK_LEASE_MILLIS = 30_000;

    private WebMain() {}

    /** A running web process; {@link #close()} stops HTTP first, then the pools. */
    public record Running(WebApp app, Redis redis, Database db) implements AutoCloseable {
        @Override
        public void close() {
            app.stop();
            redis.close();
            db.close();
        }
    }

    public static void main(String[] args) {
        Running running = start(System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("web stopping");
            running.close();
            log.info("web stopped");
        }, "web-shutdown"));
    }

    public static Running start(Map<String, String> env) {
        return start(env, Clock.systemUTC());
    }

    /** As {@link #start(Map)}, with the clock the app reads now from (quota hours on the poll and quota views). */
    public static Running start(Map<String, String> env, Clock clock) {
        WebConfig config = WebConfig.fromEnvironment(env);
        log.info("web starting with {}", config);
        Database db = Database.connect(config.db(), "web");
        Redis redis = null;
        try {
            db.migrate(config.keys());
            redis = Redis.connect(config.redis(), LOCK_LEASE_MILLIS);
            if (config.adminKey() != null) {
                BootstrapKey.ensure(db.dsl(), new RedisKeyRevocations(redis), config.adminKey(),
                        clock.instant());
            }
            var quota = new RedisQuotaGate(redis, new JooqSendLedger(db.dsl()));
            WebApp app = WebApp.create(new WebApp.Deps(db, redis, quota, clock, config.maxBodyBytes(), config.csv(),
                    config.keys(), config.publicUrl(), config.complaintAlert(), config.egress(), config.auth(),
                    config.streams(), config.metricsToken())).start(config.httpHost(), config.httpPort());
            log.info("web listening on {}:{}", config.httpHost(), app.port());
            return new Running(app, redis, db);
        } catch (RuntimeException e) {
            if (redis != null) redis.close();
            db.close();
            throw e;
        }
    }
}
