package dev.mailroom.web.sse;

import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The event streams this web process holds open, and the rules they live by:
 * 1. a stream takes a slot before it opens — at most {@code perKey} per API key (known by its id) and
 *    {@code perProcess} in all; without one it is {@link Refused} (the caller answers 429);
 * 2. every open stream gets a heartbeat comment every {@link #heartbeat} (at most 15 s), so proxies keep
 *    it and a client that vanished is noticed within two writes;
 * 3. a stream that has sent no event for {@code idleTimeout} is closed; heartbeats are not activity, so a
 *    forgotten tab or client cannot hold a slot forever (one that still wants events reconnects);
 * 4. a stream gives its slot back exactly once, however it ends; {@link #close()} ends them all.
 */
public final class OpenStreams implements AutoCloseable {
    private static final Duration MAX_HEARTBEAT = Duration.ofSeconds(15);

    /** The answer to a stream that wants to open. */
    public sealed interface Admission permits Slot, Refused {}

    /** No slot: {@code reason} says which cap was reached. */
    public record Refused(String reason) implements Admission {}

    private final StreamLimits limits;
    private final Duration heartbeat;
    private final Map<Long, Integer> perKey = new HashMap<>(); // guarded by this
    private int total; // guarded by this
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sse-streams");
        t.setDaemon(true);
        return t;
    });

    public OpenStreams(StreamLimits limits) {
        this.limits = limits;
        long third = limits.idleTimeout().toMillis() / 3;
        this.heartbeat = Duration.ofMillis(Math.min(MAX_HEARTBEAT.toMillis(), Math.max(100, third)));
        ticker.scheduleWithFixedDelay(this::tick, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized Admission admit(long keyId) {
        if (total >= limits.perProcess()) {
            return new Refused("this server already holds " + limits.perProcess() + " event streams");
        }
        int held = perKey.getOrDefault(keyId, 0);
        if (held >= limits.perKey()) {
            return new Refused("this API key already holds " + limits.perKey() + " event streams");
        }
        perKey.put(keyId, held + 1);
        total++;
        return new Slot(keyId);
    }

    public synchronized int openCount() {
        return total;
    }

    private synchronized void release(long keyId) {
        total--;
        perKey.computeIfPresent(keyId, (k, n) -> n <= 1 ? null : n - 1);
    }

    private void tick() {
        long now = System.nanoTime();
        for (Stream s : open) {
            try {
                if (now - s.lastEventAt >= limits.idleTimeout().toNanos()) s.close();
                else s.heartbeat();
            } catch (RuntimeException e) {
                s.close(); // a write that failed: the client is gone
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        open.forEach(Stream::close);
    }

    /** A place for one stream: {@link #open} it, or {@link #release()} it if the stream never opens. */
    public final class Slot implements Admission {
        private final long keyId;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(long keyId) {
            this.keyId = keyId;
        }

        /** The stream on this slot; {@code onClose} runs once when it ends, before the slot is given back. */
        public Stream open(SseClient client, Runnable onClose) {
            Stream s = new Stream(client);
            client.onClose(() -> {
                open.remove(s);
                try {
                    onClose.run();
                } finally {
                    release();
                }
            });
            open.add(s);
            return s;
        }

        public void release() {
            if (released.compareAndSet(false, true)) OpenStreams.this.release(keyId);
        }
    }

    /** One open stream; writes are serialised (events come from Redis, heartbeats from the ticker). */
    public final class Stream {
        private final SseClient client;
        private volatile long lastEventAt = System.nanoTime();

        private Stream(SseClient client) {
            this.client = client;
        }

        /** An event: activity that keeps the stream open. */
        public synchronized void send(String event, String data) {
            if (client.terminated()) return;
            lastEventAt = System.nanoTime();
            client.sendEvent(event, data);
        }

        /** A comment line, which every client ignores; not activity. */
        public synchronized void comment(String text) {
            if (!client.terminated()) client.sendComment(text);
        }

        private void heartbeat() {
            comment("keep-alive");
        }

        private synchronized void close() {
            client.close();
        }
    }
}
