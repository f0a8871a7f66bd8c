package dev.mailroom.db.redis;

import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/** The Redisson client of a process and the key names it uses. */
public final class Redis implements AutoCloseable {
    private final RedissonClient client;
    private final RedisKeys keys;

    private Redis(RedissonClient client, RedisKeys keys) {
        this.client = client;
        this.keys = keys;
    }

    /** @param lockLeaseMillis the lock watchdog timeout: how long a dead worker's lock outlives it */
    public static Redis connect(RedisConfig config, long lockLeaseMillis) {
        return connect(config, lockLeaseMillis, null);
    }

    /** @param clientName shown by Redis's CLIENT LIST for each of this process's connections; null for none */
    public static Redis connect(RedisConfig config, long lockLeaseMillis, String clientName) {
        Config c = new Config();
        c.setCodec(StringCodec.INSTANCE);
        c.setLockWatchdogTimeout(lockLeaseMillis);
        var single = c.useSingleServer()
                .setAddress(config.address())
                .setDatabase(config.database())
                .setConnectionMinimumIdleSize(2)
                .setConnectionPoolSize(16)
                .setTimeout(3000)
                .setRetryAttempts(2);
        if (config.password() != null) single.setPassword(config.password());
        if (clientName != null) single.setClientName(clientName);
        return new Redis(Redisson.create(c), new RedisKeys(config.prefix()));
    }

    public RedissonClient client() {
        return client;
    }

    public RedisKeys keys() {
        return keys;
    }

    public boolean ping() {
        try {
            client.getBucket(keys.prefix() + "ping").isExists();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
