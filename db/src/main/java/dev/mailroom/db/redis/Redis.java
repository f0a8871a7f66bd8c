package dev.mailroom.db.redis;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A process's Redis, over two clients from one {@link RedisConfig}, each doing what it is best at.
 * <ul>
 * <li>Jedis, a pool of plain blocking connections, for the per-batch commands: the quota and circuit
 *     scripts, their reads (pipelined), and every PUBLISH; and, on one dedicated connection and thread
 *     ({@link JedisSubscriber}), the worker's wake-up and control channels. A command costs one round trip
 *     and no futures, codecs or event-loop hand-offs.</li>
 * <li>Redisson ({@link #client()}) for the sender locks (its watchdog renews them while the process lives)
 *     and for subscriptions that many listeners share and that come and go (SSE streams, key revocations):
 *     it multiplexes them over one connection and resubscribes them itself.</li>
 * </ul>
 * Both write the same keys and channels with the same plain-string encoding, so either can read what the
 * other wrote.
 */
public final class Redis implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 3000;
    private static final int POOL_SIZE = 16;

    private final RedissonClient redisson;
    private final RedisClient jedis;
    private final JedisSubscriber subscriber;
    private final RedisKeys keys;

    private Redis(RedissonClient redisson, RedisClient jedis, JedisSubscriber subscriber, RedisKeys keys) {
        this.redisson = redisson;
        this.jedis = jedis;
        this.subscriber = subscriber;
        this.keys = keys;
    }

    /** @param lockLeaseMillis the lock watchdog timeout: how long a dead worker's lock outlives it */
    public static Redis connect(RedisConfig config, long lockLeaseMillis) {
        return connect(config, lockLeaseMillis, null);
    }

    /** @param clientName shown by Redis's CLIENT LIST for each of this process's connections; null for none */
    public static Redis connect(RedisConfig config, long lockLeaseMillis, String clientName) {
        HostAndPort address = new HostAndPort(config.host(), config.port());
        JedisClientConfig jedisConfig = jedisConfig(config, clientName);
        RedisClient jedis = RedisClient.builder().hostAndPort(address).clientConfig(jedisConfig).poolConfig(poolConfig()).build();
        var subscriber = new JedisSubscriber(address, jedisConfig, JedisSubscriber.HEARTBEAT_MILLIS);
        return new Redis(redisson(config, lockLeaseMillis, clientName), jedis, subscriber, new RedisKeys(config.prefix()));
    }

    private static RedissonClient redisson(RedisConfig config, long lockLeaseMillis, String clientName) {
        Config c = new Config();
        c.setCodec(StringCodec.INSTANCE);
        c.setLockWatchdogTimeout(lockLeaseMillis);
        var single = c.useSingleServer()
                .setAddress(config.address())
                .setDatabase(config.database())
                .setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(8) // the locks' few calls (Netty multiplexes them); the hot path is on Jedis
                .setTimeout(TIMEOUT_MILLIS)
                .setRetryAttempts(2);
        if (config.user() != null) single.setUsername(config.user());
        if (config.password() != null) single.setPassword(config.password());
        if (clientName != null) single.setClientName(clientName);
        return Redisson.create(c);
    }

    /** RESP2 without a HELLO or CLIENT SETINFO round trip: a new connection costs AUTH and SELECT at most. */
    static JedisClientConfig jedisConfig(RedisConfig config, String clientName) {
        return DefaultJedisClientConfig.builder()
                .autoNegotiateProtocol(false)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .user(config.user())
                .password(config.password())
                .database(config.database())
                .ssl(config.tls())
                .clientName(clientName)
                .connectionTimeoutMillis(TIMEOUT_MILLIS)
                .socketTimeoutMillis(TIMEOUT_MILLIS)
                .build();
    }

    private static ConnectionPoolConfig poolConfig() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig(); // idle connections are PINGed every 30 s
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        pool.setMinIdle(0);
        pool.setMaxWait(Duration.ofMillis(TIMEOUT_MILLIS)); // a drained pool fails like a timed-out command
        pool.setJmxEnabled(false);
        return pool;
    }

    /** Redisson: the sender locks and the subscriptions it shares among listeners. */
    public RedissonClient client() {
        return redisson;
    }

    public RedisKeys keys() {
        return keys;
    }

    /**
     * Runs Jedis commands on a pooled connection. A connection found closed (Redis restarted, the connection
     * was cut) is dropped with every idle one beside it, which died the same way, and the commands go once
     * more on a new connection: nothing had reached Redis. A timeout is not retried, since Redis may yet run
     * what it received. Only for commands that may safely run twice; see {@link #callAtMostOnce}.
     */
    <T> T call(Function<RedisClient, T> commands) {
        try {
            return commands.apply(jedis);
        } catch (JedisConnectionException e) {
            if (e.getCause() instanceof SocketTimeoutException) throw e;
            jedis.getPool().clear();
            return commands.apply(jedis);
        }
    }

    /**
     * As {@link #call} without the second try, for commands that must not run twice: a connection may also
     * close after Redis ran a command and before its reply arrived.
     */
    <T> T callAtMostOnce(Function<RedisClient, T> commands) {
        try {
            return commands.apply(jedis);
        } catch (JedisConnectionException e) {
            jedis.getPool().clear(); // the next command starts on a live connection
            throw e;
        }
    }

    /** PUBLISH over Jedis; any subscriber, Jedis's or Redisson's, receives it. */
    public void publish(String channel, String message) {
        call(j -> j.publish(channel, message));
    }

    /**
     * Hears {@code channel} on this process's dedicated subscriber connection (one thread for every channel),
     * which reconnects and subscribes again after Redis restarts or the connection is cut; messages published
     * meanwhile are lost. Returns once Redis confirmed the subscription, or after a timeout while Redis is down.
     */
    public Subscription subscribe(String channel, Consumer<String> listener) {
        return subscriber.subscribe(channel, listener);
    }

    public boolean ping() {
        try {
            return "PONG".equals(call(RedisClient::ping));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        subscriber.close();
        jedis.close();
        redisson.shutdown();
    }

    /** A listener's hold on a channel; closing it unsubscribes when it was the channel's last listener. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
