package dev.mailroom.core.webhook;

import java.time.Duration;

/** Exponential backoff for webhook deliveries: 10 s, 20 s, 40 s … at most an hour, 12 attempts in all. */
public final class WebhookRetry {
    public static final int MAX_ATTEMPTS = 12;
    private static final Duration FIRST = Duration.ofSeconds(10);
    private static final Duration MAX = Duration.ofHours(1);

    private WebhookRetry() {}

    public static Duration after(int attemptNo, Duration first) {
        Duration d = first.multipliedBy(1L << Math.min(Math.max(attemptNo - 1, 0), 20));
        return d.compareTo(MAX) > 0 ? MAX : d;
    }

    public static Duration after(int attemptNo) {
        return after(attemptNo, FIRST);
    }
}
