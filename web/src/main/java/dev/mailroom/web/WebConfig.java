package dev.mailroom.web;

import static dev.mailroom.core.config.EnvNumbers.intOf;
import static dev.mailroom.core.config.EnvNumbers.longOf;

import dev.mailroom.core.delivery.PublicUrl;
import dev.mailroom.core.net.EgressPolicy;
import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.MetricsToken;
import dev.mailroom.core.sender.ComplaintRateAlert;
import dev.mailroom.db.DbConfig;
import dev.mailroom.db.DbEnv;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.web.auth.AuthSettings;
import dev.mailroom.web.csv.CsvLimits;
import dev.mailroom.web.sse.StreamLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The web process's settings, read once from the environment by {@link WebMain}.
 *
 * @param adminKey the first admin key (MAILROOM_ADMIN_KEY), stored hashed; null to create none
 * @param maxBodyBytes limit of JSON bodies (413 above it)
 * @param csv limits of a CSV upload (MAILROOM_MAX_CSV_BYTES, MAILROOM_CSV_*) and where it is spooled
 * @param keys the server's key ring (MAILROOM_SECRET_KEY): seals stored secrets, signs unsubscribe links
 * @param publicUrl the base URL of unsubscribe links (MAILROOM_PUBLIC_URL)
 * @param complaintAlert the 7-day complaint rate at which a sender is flagged (MAILROOM_COMPLAINT_RATE_ALERT)
 * @param egress which webhook URLs are taken (MAILROOM_EGRESS_ALLOW opens private addresses)
 * @param auth the failed-authentication limit (MAILROOM_AUTH_FAILURE_LIMIT, MAILROOM_AUTH_FAILURE_WINDOW_SECONDS)
 * @param streams caps on open event streams and their idle timeout (MAILROOM_SSE_*)
 * @param metricsToken the bearer token /metrics requires (MAILROOM_METRICS_TOKEN); none: open
 */
public record WebConfig(DbConfig db, RedisConfig redis, String httpHost, int httpPort, String adminKey,
                        long maxBodyBytes, CsvLimits csv, KeyRing keys, PublicUrl publicUrl,
                        ComplaintRateAlert complaintAlert, EgressPolicy egress, AuthSettings auth,
                        StreamLimits streams, MetricsToken metricsToken) {
    public static final int DEFAULT_PORT = 7070;
    public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;

    public WebConfig {
        if (httpPort < 0 || httpPort > 65535) throw new IllegalArgumentException("MAILROOM_HTTP_PORT out of range");
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("MAILROOM_MAX_BODY_BYTES must be at least 1024");
        if (adminKey != null && adminKey.isBlank()) adminKey = null;
        if (adminKey != null && adminKey.length() < 16) {
            throw new IllegalArgumentException("MAILROOM_ADMIN_KEY must be at least 16 characters");
        }
    }

    public static WebConfig fromEnvironment(Map<String, String> env) {
        return new WebConfig(
                DbEnv.fromEnvironment(env, 10),
                new RedisConfig(env.getOrDefault("MAILROOM_REDIS_URL", RedisConfig.DEFAULT_URL),
                        env.getOrDefault("MAILROOM_REDIS_PREFIX", "mailroom:")),
                env.getOrDefault("MAILROOM_HTTP_HOST", "0.0.0.0"),
                intOf(env, "MAILROOM_HTTP_PORT", DEFAULT_PORT),
                env.get("MAILROOM_ADMIN_KEY"),
                longOf(env, "MAILROOM_MAX_BODY_BYTES", DEFAULT_MAX_BODY),
                csvLimits(env),
                KeyRing.fromEnvironment(env),
                PublicUrl.fromEnvironment(env),
                ComplaintRateAlert.fromEnvironment(env),
                EgressPolicy.fromEnvironment(env),
                new AuthSettings(intOf(env, "MAILROOM_AUTH_FAILURE_LIMIT", AuthSettings.DEFAULT_FAILURE_LIMIT),
                        Duration.ofSeconds(longOf(env, "MAILROOM_AUTH_FAILURE_WINDOW_SECONDS",
                                AuthSettings.DEFAULT_FAILURE_WINDOW.toSeconds())),
                        AuthSettings.DEFAULT_CACHE_TTL),
                new StreamLimits(intOf(env, "MAILROOM_SSE_MAX_PER_KEY", StreamLimits.DEFAULT.perKey()),
                        intOf(env, "MAILROOM_SSE_MAX_STREAMS", StreamLimits.DEFAULT.perProcess()),
                        Duration.ofMillis(longOf(env, "MAILROOM_SSE_IDLE_TIMEOUT_MS", StreamLimits.DEFAULT.idleTimeout().toMillis()))),
                MetricsToken.fromEnvironment(env));
    }

    private static CsvLimits csvLimits(Map<String, String> env) {
        String spool = env.get("MAILROOM_CSV_SPOOL_DIR");
        return new CsvLimits(longOf(env, "MAILROOM_MAX_CSV_BYTES", CsvLimits.DEFAULT_MAX_BYTES),
                intOf(env, "MAILROOM_CSV_MAX_COLUMNS", CsvLimits.DEFAULT_MAX_COLUMNS),
                intOf(env, "MAILROOM_CSV_MAX_FIELD_CHARS", CsvLimits.DEFAULT_MAX_FIELD_CHARS),
                intOf(env, "MAILROOM_CSV_MAX_ROW_CHARS", CsvLimits.DEFAULT_MAX_ROW_CHARS),
                Duration.ofMillis(longOf(env, "MAILROOM_CSV_UPLOAD_TIMEOUT_MS", CsvLimits.DEFAULT_TIMEOUT.toMillis())),
                spool == null || spool.isBlank() ? CsvLimits.DEFAULT_SPOOL_DIR : Path.of(spool.trim()));
    }

    /** Never print the admin key or a password (I14). */
    @Override
    public String toString() {
        return "WebConfig[db=" + DbEnv.redactedUrl(db.url()) + ", redis=" + redis.where().redacted()
                + ", http=" + httpHost + ":" + httpPort + ", adminKey=" + (adminKey == null ? "none" : "set")
                + ", maxBodyBytes=" + maxBodyBytes + ", csv=" + csv + ", keys=" + keys + ", publicUrl=" + publicUrl.base()
                + ", complaintAlert=" + complaintAlert.threshold() + ", egress=" + egress + ", authFailures="
                + auth.failureLimit() + "/" + auth.failureWindow().toSeconds() + "s, streams=" + streams
                + ", metricsToken=" + metricsToken + "]";
    }
}
