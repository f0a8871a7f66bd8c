package dev.mailroom.testkit;

import dev.mailroom.core.config.RedisUrl;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Real Redis, its test database flushed before each test: one server's database, the master's behind a
 * Sentinel set, or every master of a Cluster.
 */
public final class RedisExtension implements BeforeEachCallback {
    private static volatile RedissonClient client;

    public static synchronized RedissonClient admin() {
        if (client == null) {
            RedisUrl where = RedisUrl.parse(TestServices.redisUrl());
            List<String> nodes = where.nodes().stream().map(n -> "redis://" + n).toList();
            Config config = new Config();
            switch (where.shape()) {
                case SINGLE -> config.useSingleServer().setAddress(nodes.getFirst()).setDatabase(where.database())
                        .setConnectionMinimumIdleSize(1).setConnectionPoolSize(2);
                case SENTINEL -> config.useSentinelServers().setMasterName(where.masterName()).setCheckSentinelsList(false)
                        .addSentinelAddress(nodes.toArray(String[]::new)).setDatabase(where.database())
                        .setMasterConnectionMinimumIdleSize(1).setSlaveConnectionMinimumIdleSize(0);
                case CLUSTER -> config.useClusterServers().addNodeAddress(nodes.toArray(String[]::new))
                        .setMasterConnectionMinimumIdleSize(1).setSlaveConnectionMinimumIdleSize(0);
            }
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
