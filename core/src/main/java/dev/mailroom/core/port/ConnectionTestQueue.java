package dev.mailroom.core.port;

import dev.mailroom.core.delivery.ConnectionCheck;
import java.time.Instant;
import java.util.List;

/**
 * The worker's side of connection tests: asked for through the API, run by the worker serving the sender
 * (I1), which sends no mail and spends no quota for them.
 */
public interface ConnectionTestQueue {
    /** The sender's waiting tests, oldest first. */
    List<Long> due(long senderId, int limit);

    /** The test's result; the sender's last connection becomes it. */
    void record(long testId, long senderId, ConnectionCheck result, String workerId, Instant now);
}
