package dev.mailroom.db.redis;

import dev.mailroom.core.config.RedisUrl;

/**
 * Where Redis is ({@link RedisUrl}: one server, a Sentinel set or a Cluster) and the prefix every key and
 * channel starts with. One setting for both clients of {@link Redis}.
 */
public record RedisConfig(String url, String prefix) {
    public static final String DEFAULT_URL = "redis://127.0.0.1:6379/0";

    public RedisConfig {
        RedisUrl.parse(url); // refused at start-up, not at first use
        prefix = prefix == null ? "mailroom:" : prefix;
    }

    public RedisUrl where() {
        return RedisUrl.parse(url);
    }
}
