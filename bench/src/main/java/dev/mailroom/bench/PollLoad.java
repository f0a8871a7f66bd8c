package dev.mailroom.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load on GET /api/poll: requests are started on a fixed schedule (rate per second),
 * whatever the previous ones are doing, until stopped or {@code maxSeconds} passed. Latency is kept
 * both from the actual send and from the scheduled start (which also counts waiting behind slow ones).
 */
final class PollLoad implements AutoCloseable {
    private final KeepAliveGet poll;
    private final int rate;
    private final long maxNanos;
    private final LongSamples service = new LongSamples();
    private final LongSamples scheduled = new LongSamples();
    /** (ms since start) * 1e9 + latency in µs: one long per answered request, for {@link #writeCsv}. */
    private final LongSamples timeline = new LongSamples();
    private final AtomicLong errors = new AtomicLong();
    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread clock;
    private volatile boolean stop;
    private long startedNanos;
    private long sent;

    PollLoad(KeepAliveGet poll, int rate, int maxSeconds) {
        this.poll = poll;
        this.rate = rate;
        this.maxNanos = maxSeconds * 1_000_000_000L;
        this.clock = Thread.ofPlatform().daemon().name("poll-load").start(this::run);
    }

    private void run() {
        long interval = 1_000_000_000L / rate;
        startedNanos = System.nanoTime();
        for (long k = 0; !stop && k * interval < maxNanos; k++) {
            long due = startedNanos + k * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            sent++;
            requests.submit(() -> once(due));
        }
    }

    private void once(long due) {
        long t0 = System.nanoTime();
        try {
            int status = poll.get();
            long t1 = System.nanoTime();
            if (status != 200) {
                errors.incrementAndGet();
                return;
            }
            service.add(t1 - t0);
            scheduled.add(t1 - due);
            timeline.add((t0 - startedNanos) / 1_000_000 * 1_000_000_000L + (t1 - t0) / 1000);
        } catch (Exception e) {
            errors.incrementAndGet();
        }
    }

    @Override
    public void close() {
        stop = true;
        try {
            clock.join(2000);
            requests.shutdown();
            requests.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            poll.close();
        }
    }

    Map<String, Object> summary() {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        Percentiles s = new Percentiles(service.toArray());
        Percentiles d = new Percentiles(scheduled.toArray());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target_rps", rate);
        m.put("achieved_rps", Percentiles.round(s.count() / Math.max(seconds, 1e-9)));
        m.put("requests", sent);
        m.put("errors", errors.get());
        m.put("p50_ms", Percentiles.round(s.at(0.50) / 1e6));
        m.put("p99_ms", Percentiles.round(s.at(0.99) / 1e6));
        m.put("max_ms", Percentiles.round(s.max() / 1e6));
        m.put("p99_from_schedule_ms", Percentiles.round(d.at(0.99) / 1e6));
        return m;
    }

    /** One line per answered request: milliseconds since the load started, latency in milliseconds. */
    void writeCsv(java.nio.file.Path file) throws java.io.IOException {
        long[] t = timeline.toArray();
        java.util.Arrays.sort(t);
        StringBuilder b = new StringBuilder("at_ms,latency_ms\n");
        for (long v : t) b.append(v / 1_000_000_000L).append(',').append(String.format("%.2f", (v % 1_000_000_000L) / 1000.0)).append('\n');
        java.nio.file.Files.writeString(file, b);
    }

    /** A growing array of longs, safe for many writers. */
    static final class LongSamples {
        private long[] values = new long[8192];
        private int size;

        synchronized void add(long v) {
            if (size == values.length) values = java.util.Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        synchronized long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
