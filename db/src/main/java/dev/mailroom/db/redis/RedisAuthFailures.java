package dev.mailroom.db.redis;

import java.time.Duration;
import java.util.List;

/** Failed authentications per client address, counted in Redis so every web process shares the count. */
public final class RedisAuthFailures {
    /** @param failures in the current window, this one included; @param windowLeft until the count starts over */
    public record Count(long failures, Duration windowLeft) {}

    private final Redis redis;
    private final LuaScript count;

    public RedisAuthFailures(Redis redis) {
        this.redis = redis;
        this.count = new LuaScript(redis, "count_auth_failure.lua");
    }

    public Count record(String clientAddress, Duration window) {
        LuaReply r = count.call(List.of(redis.keys().authFailures(clientAddress)), Math.max(1, window.toSeconds()));
        return new Count(r.number(0), Duration.ofSeconds(r.number(1)));
    }
}
