package dev.mailroom.web.sse;

import java.time.Duration;

/**
 * Caps on open event streams — per API key and per web process; beyond them a new stream is refused with
 * 429 — and how long a stream may have nothing to send before it is closed (heartbeats do not count).
 */
public record StreamLimits(int perKey, int perProcess, Duration idleTimeout) {
    public static final StreamLimits DEFAULT = new StreamLimits(5, 200, Duration.ofMinutes(10));

    public StreamLimits {
        if (perKey < 1) throw new IllegalArgumentException("MAILROOM_SSE_MAX_PER_KEY must be at least 1");
        if (perProcess < perKey) throw new IllegalArgumentException("MAILROOM_SSE_MAX_STREAMS must be at least MAILROOM_SSE_MAX_PER_KEY");
        if (idleTimeout.toMillis() < 1000) throw new IllegalArgumentException("MAILROOM_SSE_IDLE_TIMEOUT_MS must be at least 1000");
    }
}
