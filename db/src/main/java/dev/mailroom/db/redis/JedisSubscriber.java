package dev.mailroom.db.redis;

import dev.mailroom.core.error.SafeErrors;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;

/**
 * Jedis pub/sub for every channel a process hears through {@link Redis#subscribe}: one connection and one
 * thread of their own. A blocking subscription ends with its connection (Redis restarted, the connection
 * was cut), so the thread connects and subscribes every channel again, pausing longer while Redis stays
 * away; and it hears from Redis every few seconds, so a connection that died without a word (no FIN ever
 * came) is noticed too. Messages published while no connection was up are lost: every channel here is a
 * hint that polling backs.
 */
final class JedisSubscriber implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JedisSubscriber.class);
    static final long HEARTBEAT_MILLIS = 5_000;
    private static final long CONFIRM_MILLIS = 5_000;
    private static final long FIRST_PAUSE_MILLIS = 100, LONGEST_PAUSE_MILLIS = 2_000;

    /** Asked at each (re)connection: after a failover or a node's loss it names another server. */
    private final Supplier<HostAndPort> address;
    private final JedisClientConfig config;
    private final long heartbeatMillis;
    /** Changed under this object's lock; read without it when a message arrives. */
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();

    // Guarded by this object's lock, as is every command sent on the connection (they must not interleave).
    private Thread thread, heartbeat;
    private Connection connection;
    private Dispatch current;
    private boolean ready; // the connection's first SUBSCRIBE was confirmed: commands may go on it
    private final Set<String> requested = new HashSet<>(), confirmed = new HashSet<>();
    private boolean down; // the last connection attempt failed: callers do not wait for confirmations
    private boolean closed;

    /** @param heartbeatMillis between heartbeats; a connection silent for three of them is given up */
    JedisSubscriber(Supplier<HostAndPort> address, JedisClientConfig config, long heartbeatMillis) {
        this.address = address;
        this.config = config;
        this.heartbeatMillis = heartbeatMillis;
    }

    Redis.Subscription subscribe(String channel, Consumer<String> onMessage) {
        Listener listener = new Listener(onMessage);
        synchronized (this) {
            if (closed) throw new IllegalStateException("Redis is closed");
            List<Listener> list = listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>());
            list.add(listener);
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("redis-subscriber").start(this::run);
                heartbeat = Thread.ofPlatform().daemon().name("redis-subscriber-heartbeat").start(this::heartbeat);
            }
            if (ready && requested.add(channel)) send(() -> current.subscribe(channel));
            notifyAll();
            // Waiting on the subscriber's own thread would only wait out the timeout: it confirms.
            long until = System.currentTimeMillis() + CONFIRM_MILLIS;
            while (!confirmed.contains(channel) && !down && !closed && Thread.currentThread() != thread) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) break;
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return () -> unsubscribe(channel, listener);
    }

    private synchronized void unsubscribe(String channel, Listener listener) {
        List<Listener> list = listeners.get(channel);
        if (list == null || !list.remove(listener) || !list.isEmpty()) return;
        listeners.remove(channel);
        confirmed.remove(channel);
        if (ready && requested.remove(channel)) send(() -> current.unsubscribe(channel));
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) return;
            closed = true;
            t = thread;
            disconnect();
            notifyAll();
        }
        if (t == null) return;
        heartbeat.interrupt();
        try {
            t.join(CONFIRM_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            String[] channels;
            Dispatch dispatch = new Dispatch();
            synchronized (this) {
                while (!closed && listeners.isEmpty()) waitQuietly();
                if (closed) return;
                channels = listeners.keySet().toArray(String[]::new);
            }
            boolean wasUp = false;
            try {
                Connection c = new Connection(address.get(), config);
                synchronized (this) {
                    if (closed) {
                        c.close();
                        return;
                    }
                    connection = c;
                    current = dispatch;
                    requested.addAll(List.of(channels));
                }
                dispatch.proceed(c, channels); // returns when the last channel was unsubscribed
            } catch (RuntimeException e) {
                synchronized (this) {
                    if (closed) return;
                    wasUp = ready;
                    if (!down) log.warn("Redis subscription lost; reconnecting: {}", SafeErrors.describe(e));
                    down = true;
                    notifyAll();
                }
            } finally {
                synchronized (this) {
                    disconnect();
                    connection = null;
                    current = null;
                    ready = false;
                    requested.clear();
                    confirmed.clear();
                }
            }
            pause = wasUp ? FIRST_PAUSE_MILLIS : Math.min(LONGEST_PAUSE_MILLIS, pause * 2);
            synchronized (this) {
                if (down && !closed) waitQuietly(pause); // close() ends the pause
            }
        }
    }

    /**
     * Asks Redis for a word on the live connection: a SUBSCRIBE of a channel it already has, which Redis
     * confirms like any other and changes nothing (a PING would do, but Jedis files the handler of its reply
     * after sending it, and a quick reply then breaks the subscription). One that stayed silent too long is
     * cut, and {@link #run} reconnects.
     */
    private void heartbeat() {
        while (true) {
            try {
                Thread.sleep(heartbeatMillis);
            } catch (InterruptedException e) {
                return; // closed
            }
            synchronized (this) {
                if (closed) return;
                if (!ready || requested.isEmpty()) continue;
                if (System.currentTimeMillis() - current.lastHeard > 3 * heartbeatMillis) {
                    log.warn("Redis subscription silent for {} ms; reconnecting", 3 * heartbeatMillis);
                    disconnect();
                } else {
                    String channel = requested.iterator().next();
                    send(() -> current.subscribe(channel));
                }
            }
        }
    }

    /**
     * Redis confirmed a channel. The connection's first confirmation makes it ready: channels added or dropped
     * while it was being set up are sent now, and callers may send on it from then on.
     */
    private synchronized void confirmed(String channel) {
        if (!ready) {
            ready = true;
            if (down) log.info("Redis subscription back");
            down = false;
            for (String c : listeners.keySet()) {
                if (requested.add(c)) send(() -> current.subscribe(c));
            }
            for (String c : Set.copyOf(requested)) {
                if (!listeners.containsKey(c) && requested.remove(c)) send(() -> current.unsubscribe(c));
            }
        }
        if (listeners.containsKey(channel)) confirmed.add(channel);
        notifyAll();
    }

    /** A command on a connection that broke fails here; {@link #run} notices the break on its own. */
    private void send(Runnable command) {
        try {
            command.run();
        } catch (RuntimeException e) {
            disconnect();
        }
    }

    private void disconnect() {
        if (connection == null) return;
        try {
            connection.disconnect();
        } catch (RuntimeException e) {
            // already broken: closing is all that was wanted
        }
    }

    private void waitQuietly() {
        waitQuietly(0);
    }

    private void waitQuietly(long millis) {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            closed = true; // nobody interrupts this thread but to end it
        }
    }

    private final class Dispatch extends JedisPubSub {
        private volatile long lastHeard = System.currentTimeMillis();

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            lastHeard = System.currentTimeMillis();
            confirmed(channel);
        }

        @Override
        public void onMessage(String channel, String message) {
            lastHeard = System.currentTimeMillis();
            for (Listener l : listeners.getOrDefault(channel, List.of())) l.accept(channel, message);
        }
    }

    /** One {@link Redis#subscribe} call's listener: its own identity, so the same lambda may subscribe twice. */
    private record Listener(Consumer<String> onMessage) {
        void accept(String channel, String message) {
            try {
                onMessage.accept(message);
            } catch (RuntimeException e) {
                log.warn("a listener of {} failed: {}", channel, SafeErrors.describe(e));
            }
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
