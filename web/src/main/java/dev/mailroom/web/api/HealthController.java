package dev.mailroom.web.api;

import dev.mailroom.db.Database;
import dev.mailroom.db.postgres.JooqPollQueries;
import dev.mailroom.db.redis.Redis;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Liveness (the process answers) and readiness (PostgreSQL, its migrations and Redis answer). */
public final class HealthController {
    private final Database db;
    private final JooqPollQueries queries;
    private final Redis redis;
    private volatile boolean migratedOnce;

    public HealthController(Database db, JooqPollQueries queries, Redis redis) {
        this.db = db;
        this.queries = queries;
        this.redis = redis;
    }

    public void live(Context ctx) {
        ctx.json(Map.of("status", "up"));
    }

    public void ready(Context ctx) {
        boolean pg = queries.ping();
        boolean migrations = pg && migrated();
        boolean rd = redis.ping();
        boolean up = pg && migrations && rd;
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", up ? "up" : "down");
        body.put("postgres", pg ? "up" : "down");
        body.put("migrations", migrations ? "up" : "down");
        body.put("redis", rd ? "up" : "down");
        ctx.status(up ? 200 : 503).json(body);
    }

    private boolean migrated() {
        if (migratedOnce) return true;
        try {
            return migratedOnce = db.migrationsApplied();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
