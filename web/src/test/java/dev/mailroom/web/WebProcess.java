package dev.mailroom.web;

import dev.mailroom.core.delivery.PublicUrl;
import dev.mailroom.core.net.EgressPolicy;
import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.MetricsToken;
import dev.mailroom.core.sender.ComplaintRateAlert;
import dev.mailroom.db.Database;
import dev.mailroom.db.DbConfig;
import dev.mailroom.db.postgres.JooqSendLedger;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.db.redis.RedisQuotaGate;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.TestServices;
import dev.mailroom.web.auth.AuthSettings;
import dev.mailroom.web.sse.StreamLimits;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;

/**
 * Another web process for a test: its own pools and Redis client (named, so a test can cut its connections)
 * against the same database and Redis as {@link TestApp}, with the clock and auth settings the test chooses.
 */
final class WebProcess implements AutoCloseable {
    private final Database db;
    private final Redis redis;
    private final WebApp app;
    final String redisClientName;

    WebProcess(Clock clock, AuthSettings auth) {
        PostgresExtension.dataSource();
        redisClientName = "mailroom-test-web-" + Long.toHexString(System.nanoTime());
        db = Database.connect(new DbConfig(TestServices.dbUrl(), TestServices.dbUser(), TestServices.dbPassword(), 4),
                "web-test-2");
        redis = Redis.connect(new RedisConfig(TestServices.redisUrl(), TestServices.redisPrefix()), 30_000, redisClientName);
        app = WebApp.create(new WebApp.Deps(db, redis, new RedisQuotaGate(redis, new JooqSendLedger(db.dsl())), clock,
                TestApp.MAX_BODY, TestApp.csvLimits(), KeyRing.parse(TestServices.SECRET_KEY),
                new PublicUrl(TestServices.PUBLIC_URL), ComplaintRateAlert.DEFAULT, EgressPolicy.parse(TestApp.EGRESS_ALLOW),
                auth, StreamLimits.DEFAULT, MetricsToken.NONE)).start("127.0.0.1", 0);
    }

    WebProcess() {
        this(Clock.systemUTC(), AuthSettings.DEFAULT);
    }

    Api.Res get(String path, String key) {
        return send("GET", path, key, null, null);
    }

    Api.Res post(String path, String key, String json) {
        return send("POST", path, key, json, null);
    }

    Api.Res delete(String path, String key) {
        return send("DELETE", path, key, null, null);
    }

    /** As {@link #get}, from another local address: {@code 127.0.0.2} is a different client to the server. */
    Api.Res getFrom(InetAddress local, String path, String key) {
        return send("GET", path, key, null, local);
    }

    private Api.Res send(String method, String path, String key, String json, InetAddress local) {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (local != null) client.localAddress(local);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        if (key != null) b.header("Authorization", "Bearer " + key);
        try (HttpClient c = client.build()) {
            HttpResponse<String> res = c.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Api.Res(res.statusCode(), res.headers().firstValue("Content-Type").orElse(""), res.body(),
                    res.headers().firstValue("Retry-After").orElse(null));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
        redis.close();
        db.close();
    }
}
