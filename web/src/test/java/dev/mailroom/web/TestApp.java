package dev.mailroom.web;

import dev.mailroom.core.delivery.PublicUrl;
import dev.mailroom.core.net.EgressPolicy;
import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.MetricsToken;
import dev.mailroom.core.sender.ComplaintRateAlert;
import dev.mailroom.db.Database;
import dev.mailroom.db.DbConfig;
import dev.mailroom.db.postgres.JooqComplaintRate;
import dev.mailroom.db.postgres.JooqSendLedger;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisQuotaGate;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.TestServices;
import dev.mailroom.web.auth.AuthSettings;
import dev.mailroom.web.csv.CsvLimits;
import dev.mailroom.web.sse.StreamLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** One real web app per test JVM, on a random port, against the test services; console tests share it. */
public final class TestApp {
    static final long MAX_BODY = 256 * 1024;
    static final long MAX_CSV = 256L * 1024 * 1024;
    /** What MAILROOM_EGRESS_ALLOW opens for this app: webhook URLs there are taken, other private ones refused. */
    static final String EGRESS_ALLOW = "10.99.0.0/16, crm.internal";

    private static Database db;
    private static Redis redis;
    private static WebApp app;
    private static Path spoolDir;

    private TestApp() {}

    public static synchronized WebApp app() {
        if (app == null) {
            PostgresExtension.dataSource(); // migrated once per JVM
            db = Database.connect(new DbConfig(TestServices.dbUrl(), TestServices.dbUser(), TestServices.dbPassword(), 8),
                    "web-test");
            redis = Redis.connect(new RedisConfig(TestServices.redisUrl(), TestServices.redisPrefix()), 30_000);
            app = WebApp.create(newDeps(csvLimits(), StreamLimits.DEFAULT, MetricsToken.NONE)).start("127.0.0.1", 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.stop();
                redis.close();
                db.close();
                spoolDir.toFile().delete(); // empty unless a test left a spool behind
            }));
        }
        return app;
    }

    /** The shared app's collaborators with these limits and metrics token, for tests that start an app of their own. */
    static WebApp.Deps deps(CsvLimits csv, StreamLimits streams, MetricsToken metricsToken) {
        app();
        return newDeps(csv, streams, metricsToken);
    }

    /** The shared app's collaborators but this Redis, for tests that start an app of their own. */
    static WebApp.Deps deps(Redis redis) {
        app();
        return newDeps(redis, csvLimits(), StreamLimits.DEFAULT, MetricsToken.NONE);
    }

    private static WebApp.Deps newDeps(CsvLimits csv, StreamLimits streams, MetricsToken metricsToken) {
        return newDeps(redis, csv, streams, metricsToken);
    }

    private static WebApp.Deps newDeps(Redis redis, CsvLimits csv, StreamLimits streams, MetricsToken metricsToken) {
        return new WebApp.Deps(db, redis, new RedisQuotaGate(redis, new JooqSendLedger(db.dsl())), Clock.systemUTC(),
                MAX_BODY, csv, KeyRing.parse(TestServices.SECRET_KEY), new PublicUrl(TestServices.PUBLIC_URL),
                ComplaintRateAlert.DEFAULT, EgressPolicy.parse(EGRESS_ALLOW), AuthSettings.DEFAULT, streams, metricsToken);
    }

    /** The default CSV limits, spooling to this JVM's own directory (tests look into it). */
    static synchronized CsvLimits csvLimits() {
        if (spoolDir == null) {
            try {
                spoolDir = Files.createTempDirectory("mailroom-test-spool-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new CsvLimits(MAX_CSV, CsvLimits.DEFAULT_MAX_COLUMNS, CsvLimits.DEFAULT_MAX_FIELD_CHARS,
                CsvLimits.DEFAULT_MAX_ROW_CHARS, CsvLimits.DEFAULT_TIMEOUT, spoolDir);
    }

    public static Database db() {
        app();
        return db;
    }

    public static Redis redis() {
        app();
        return redis;
    }

    public static String base() {
        return "http://127.0.0.1:" + app().port();
    }
}
