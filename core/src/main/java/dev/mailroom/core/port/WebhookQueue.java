package dev.mailroom.core.port;

import dev.mailroom.core.webhook.WebhookCall;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The webhook outbox as the dispatcher sees it. */
public interface WebhookQueue {
    /** Takes up to {@code limit} due rows, leasing them for {@code lease} so no other worker takes them meanwhile. */
    List<WebhookCall> takeDue(int limit, Duration lease, Instant now);

    /** Logs the attempt; a 2xx marks the row delivered, else it waits until {@code retryAt} (null: give up). */
    void recordAttempt(WebhookCall call, Integer statusCode, String error, long durationMs, Instant retryAt, Instant now);
}
