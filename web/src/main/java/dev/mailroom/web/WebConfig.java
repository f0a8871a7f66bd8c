package dev.mailroom.web;

import dev.mailroom.core.delivery.PublicUrl;
import dev.mailroom.core.net.EgressPolicy;
import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.sender.ComplaintRateAlert;
import dev.mailroom.db.DbConfig;
import dev.mailroom.db.DbEnv;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.web.auth.AuthSettings;
import java.time.Duration;
import java.util.Map;

/**
 * The web process's settings, read once from the environment by {@link WebMain}.
 *
 * @param adminKey the first admin key (MAILROOM_ADMIN_KEY), stored hashed; null to create none
 * @param maxBodyBytes limit of JSON bodies (413 above it)
 * @param maxCsvBytes limit of a streamed CSV upload
 * @param keys the server's key ring (MAILROOM_SECRET_KEY): seals stored secrets, signs unsubscribe links
 * @param publicUrl the base URL of unsubscribe links (MAILROOM_PUBLIC_URL)
 * @param complaintAlert the 7-day complaint rate at which a sender is flagged (MAILROOM_COMPLAINT_RATE_ALERT)
 * @param egress which webhook URLs are taken (MAILROOM_EGRESS_ALLOW opens private addresses)
 * @param auth the failed-authentication limit (MAILROOM_AUTH_FAILURE_LIMIT, MAILROOM_AUTH_FAILURE_WINDOW_SECONDS)
 */
public record WebConfig(DbConfig db, RedisConfig redis, String httpHost, int httpPort, String adminKey,
                        long maxBodyBytes, long maxCsvBytes, KeyRing keys, PublicUrl publicUrl,
                        ComplaintRateAlert complaintAlert, EgressPolicy egress, AuthSettings auth) {
    public static final int DEFAULT_PORT = 7070;
    public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;
    public static final long DEFAULT_MAX_CSV = 512L * 1024 * 1024;

    public WebConfig {
        if (httpPort < 0 || httpPort > 65535) throw new IllegalArgumentException("MAILROOM_HTTP_PORT out of range");
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("MAILROOM_MAX_BODY_BYTES must be at least 1024");
        if (maxCsvBytes < 1024) throw new IllegalArgumentException("MAILROOM_MAX_CSV_BYTES must be at least 1024");
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
                Integer.parseInt(env.getOrDefault("MAILROOM_HTTP_PORT", Integer.toString(DEFAULT_PORT))),
                env.get("MAILROOM_ADMIN_KEY"),
                Long.parseLong(env.getOrDefault("MAILROOM_MAX_BODY_BYTES", Long.toString(DEFAULT_MAX_BODY))),
                Long.parseLong(env.getOrDefault("MAILROOM_MAX_CSV_BYTES", Long.toString(DEFAULT_MAX_CSV))),
                KeyRing.fromEnvironment(env),
                PublicUrl.fromEnvironment(env),
                ComplaintRateAlert.fromEnvironment(env),
                EgressPolicy.fromEnvironment(env),
                new AuthSettings(
                        Integer.parseInt(env.getOrDefault("MAILROOM_AUTH_FAILURE_LIMIT",
                                Integer.toString(AuthSettings.DEFAULT_FAILURE_LIMIT))),
                        Duration.ofSeconds(Long.parseLong(env.getOrDefault("MAILROOM_AUTH_FAILURE_WINDOW_SECONDS",
                                Long.toString(AuthSettings.DEFAULT_FAILURE_WINDOW.toSeconds())))),
                        AuthSettings.DEFAULT_CACHE_TTL));
    }

    /** Never print the admin key or a password (I14). */
    @Override
    public String toString() {
        return "WebConfig[db=" + DbEnv.redactedUrl(db.url()) + ", redis=" + redis.address() + "/" + redis.database()
                + ", http=" + httpHost + ":" + httpPort + ", adminKey=" + (adminKey == null ? "none" : "set")
                + ", maxBodyBytes=" + maxBodyBytes + ", maxCsvBytes=" + maxCsvBytes + ", keys=" + keys + ", publicUrl=" + publicUrl.base()
                + ", complaintAlert=" + complaintAlert.threshold() + ", egress=" + egress + ", authFailures="
                + auth.failureLimit() + "/" + auth.failureWindow().toSeconds() + "s]";
    }
}
