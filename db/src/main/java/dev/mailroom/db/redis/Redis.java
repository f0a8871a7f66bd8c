package dev.mailroom.db.redis;

import dev.mailroom.core.config.RedisUrl;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.BaseConfig;
import org.redisson.config.Config;
import org.redisson.config.ReadMode;
import org.redisson.config.SubscriptionMode;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.util.Pool;

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
 * other wrote. Both follow the URL's shape ({@link RedisUrl}): one server, the master a Sentinel set names
 * (through failovers), or a Cluster. On a Cluster every script's keys share a hash tag ({@link RedisKeys}),
 * and pub/sub is the classic kind, which every node relays.
 */
public final class Redis implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 3000;
    private static final int POOL_SIZE = 16;
    /** How long a write that must survive a failover waits for a replica's acknowledgement. */
    static final long REPLICA_WAIT_MILLIS = 1000;

    private final RedissonClient redisson;
    private final UnifiedJedis jedis;
    private final JedisSubscriber subscriber;
    private final RedisKeys keys;

    private Redis(RedissonClient redisson, UnifiedJedis jedis, JedisSubscriber subscriber, RedisKeys keys) {
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
        RedisUrl where = config.where();
        JedisClientConfig jedisConfig = jedisConfig(where, clientName);
        Set<HostAndPort> nodes = new LinkedHashSet<>();
        for (RedisUrl.Node n : where.nodes()) nodes.add(new HostAndPort(n.host(), n.port()));
        UnifiedJedis jedis;
        Supplier<HostAndPort> subscribeTo;
        switch (where.shape()) {
            case SINGLE -> {
                HostAndPort address = nodes.iterator().next();
                jedis = RedisClient.builder().hostAndPort(address).clientConfig(jedisConfig).poolConfig(poolConfig()).build();
                subscribeTo = () -> address;
            }
            case SENTINEL -> {
                RedisSentinelClient sentinel = RedisSentinelClient.builder().masterName(where.masterName()).sentinels(nodes)
                        .clientConfig(jedisConfig).sentinelClientConfig(sentinelConfig(where, clientName))
                        .poolConfig(poolConfig()).build();
                jedis = sentinel;
                subscribeTo = sentinel::getCurrentMaster; // PUBLISH goes to the master; after a failover, the new one
            }
            case CLUSTER -> {
                // One attempt per command: Jedis would otherwise send a command again after a lost reply, and a
                // quota release must not run twice (see callAtMostOnce). Redirections are retried by call below.
                RedisClusterClient cluster = RedisClusterClient.builder().nodes(nodes).clientConfig(jedisConfig)
                        .poolConfig(poolConfig()).maxAttempts(1).topologyRefreshPeriod(Duration.ofSeconds(10)).build();
                jedis = cluster;
                subscribeTo = new AnyClusterNode(cluster); // a Cluster's PUBLISH reaches every node
            }
            default -> throw new IllegalStateException("unknown Redis shape " + where.shape());
        }
        var subscriber = new JedisSubscriber(subscribeTo, jedisConfig, JedisSubscriber.HEARTBEAT_MILLIS);
        return new Redis(redisson(where, lockLeaseMillis, clientName), jedis, subscriber, new RedisKeys(config.prefix()));
    }

    private static RedissonClient redisson(RedisUrl where, long lockLeaseMillis, String clientName) {
        Config c = new Config();
        c.setCodec(StringCodec.INSTANCE);
        c.setLockWatchdogTimeout(lockLeaseMillis);
        String scheme = where.tls() ? "rediss://" : "redis://";
        List<String> addresses = where.nodes().stream().map(n -> scheme + n).toList();
        BaseConfig<?> base = switch (where.shape()) {
            case SINGLE -> c.useSingleServer().setAddress(addresses.getFirst()).setDatabase(where.database())
                    .setConnectionMinimumIdleSize(1)
                    .setConnectionPoolSize(8); // the locks' few calls (Netty multiplexes them); the hot path is on Jedis
            case SENTINEL -> c.useSentinelServers().setMasterName(where.masterName()).addSentinelAddress(addresses.toArray(String[]::new))
                    .setDatabase(where.database()).setReadMode(ReadMode.MASTER).setSubscriptionMode(SubscriptionMode.MASTER)
                    .setCheckSentinelsList(false) // a set of fewer than three is the operator's choice
                    .setMasterConnectionMinimumIdleSize(1).setMasterConnectionPoolSize(8)
                    .setSlaveConnectionMinimumIdleSize(0).setSubscriptionConnectionMinimumIdleSize(1);
            case CLUSTER -> c.useClusterServers().addNodeAddress(addresses.toArray(String[]::new))
                    .setReadMode(ReadMode.MASTER).setSubscriptionMode(SubscriptionMode.MASTER)
                    .setMasterConnectionMinimumIdleSize(1).setMasterConnectionPoolSize(8)
                    .setSlaveConnectionMinimumIdleSize(0).setSubscriptionConnectionMinimumIdleSize(1);
        };
        base.setTimeout(TIMEOUT_MILLIS).setRetryAttempts(2);
        if (where.user() != null) base.setUsername(where.user());
        if (where.password() != null) base.setPassword(where.password());
        if (clientName != null) base.setClientName(clientName);
        return Redisson.create(c);
    }

    /** The master's (or the one server's, or every Cluster node's) connections: the URL's credentials and database. */
    static JedisClientConfig jedisConfig(RedisUrl where, String clientName) {
        return connection(where, clientName).user(where.user()).password(where.password()).database(where.database()).build();
    }

    /** The Sentinels themselves: no database, and the credentials in the URL are the master's. */
    private static JedisClientConfig sentinelConfig(RedisUrl where, String clientName) {
        return connection(where, clientName).build();
    }

    /** RESP2 without a HELLO or CLIENT SETINFO round trip: a new connection costs AUTH and SELECT at most. */
    private static DefaultJedisClientConfig.Builder connection(RedisUrl where, String clientName) {
        return DefaultJedisClientConfig.builder()
                .autoNegotiateProtocol(false)
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
                .ssl(where.tls())
                .clientName(clientName)
                .connectionTimeoutMillis(TIMEOUT_MILLIS)
                .socketTimeoutMillis(TIMEOUT_MILLIS);
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

    /** True behind a Sentinel set: a write the master took may be lost in a failover unless a replica holds it. */
    boolean hasReplicas() {
        return jedis instanceof RedisSentinelClient;
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
     * more on a new connection: nothing had reached Redis. A Cluster node's redirection (the slot moved) is
     * followed the same way. A timeout is not retried, since Redis may yet run what it received. Only for
     * commands that may safely run twice; see {@link #callAtMostOnce}.
     */
    <T> T call(Function<UnifiedJedis, T> commands) {
        try {
            return commands.apply(jedis);
        } catch (JedisException e) {
            Failure failure = Failure.of(e);
            if (failure == Failure.OTHER || failure == Failure.TIMEOUT) throw e;
            forgetIdleConnections();
            return commands.apply(jedis);
        }
    }

    /**
     * As {@link #call} without the second try after a lost connection, for commands that must not run twice:
     * a connection may also close after Redis ran a command and before its reply arrived. A redirection is
     * still followed: the node that sent it ran nothing.
     */
    <T> T callAtMostOnce(Function<UnifiedJedis, T> commands) {
        try {
            return commands.apply(jedis);
        } catch (JedisException e) {
            Failure failure = Failure.of(e);
            if (failure == Failure.NOT_RUN) return commands.apply(jedis);
            if (failure != Failure.OTHER) forgetIdleConnections(); // the next command starts on a live connection
            throw e;
        }
    }

    private void forgetIdleConnections() {
        switch (jedis) {
            case RedisClient single -> single.getPool().clear();
            case RedisSentinelClient sentinel -> sentinel.getPrimaryNodesConnectionMap().values().forEach(Pool::clear);
            case RedisClusterClient cluster -> cluster.getClusterNodes().values().forEach(Pool::clear);
            default -> { }
        }
    }

    /** What a failed command says about whether Redis ran it; a Cluster client wraps the cause it met. */
    private enum Failure {
        NOT_RUN, CONNECTION, TIMEOUT, OTHER;

        static Failure of(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                Failure f = one(t);
                if (f != OTHER) return f;
                for (Throwable s : t.getSuppressed()) {
                    f = one(s);
                    if (f != OTHER) return f;
                }
            }
            return OTHER;
        }

        private static Failure one(Throwable t) {
            if (t instanceof JedisRedirectionException) return NOT_RUN;
            if (t instanceof JedisConnectionException c) {
                return c.getCause() instanceof SocketTimeoutException ? TIMEOUT : CONNECTION;
            }
            return OTHER;
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
            return "PONG".equals(call(UnifiedJedis::ping));
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

    /** A Cluster node to subscribe on, another one at each reconnection (the last may be gone). */
    private static final class AnyClusterNode implements Supplier<HostAndPort> {
        private final RedisClusterClient cluster;
        private int next;

        AnyClusterNode(RedisClusterClient cluster) {
            this.cluster = cluster;
        }

        @Override
        public synchronized HostAndPort get() {
            List<String> nodes = List.copyOf(cluster.getClusterNodes().keySet());
            return HostAndPort.from(nodes.get(Math.floorMod(next++, nodes.size())));
        }
    }

    /** A listener's hold on a channel; closing it unsubscribes when it was the channel's last listener. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
