package dev.mailroom.testkit;

import java.net.URI;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** Real Redis, its test database flushed before each test. */
public final class RedisExtension implements BeforeEachCallback {
    private static volatile RedissonClient client;

    public static synchronized RedissonClient admin() {
        if (client == null) {
            URI uri = URI.create(TestServices.redisUrl());
            Config config = new Config();
            String path = uri.getPath();
            int db = path == null || path.length() <= 1 ? 0 : Integer.parseInt(path.substring(1));
            config.useSingleServer().setAddress("redis://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort()))
                    .setDatabase(db).setConnectionMinimumIdleSize(1).setConnectionPoolSize(2);
            client = Redisson.create(config);
        }
        return client;
    }

    public static void flush() {
        admin().getKeys().flushdb();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        flush();
    }
}
