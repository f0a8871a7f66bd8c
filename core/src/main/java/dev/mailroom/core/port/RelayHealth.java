package dev.mailroom.core.port;

import dev.mailroom.core.delivery.DeliveryOutcome;
import java.time.Instant;

/**
 * The relay's refusals of a sender in a row (unreachable, credentials, sender), kept in PostgreSQL so the
 * backoff grows across claims and restarts; the sender's {@code last_error} says why its mail waits, and its
 * last connection what came of the last time a worker talked to the relay.
 */
public interface RelayHealth {
    /**
     * Records one refusal (its named fault too) and a {@code sender.relay_failed} webhook; returns the refusals in
     * a row, this one included.
     */
    int refused(long senderId, DeliveryOutcome.RelayRefused refusal, Instant now);

    /** The relay took a message: the row of refusals ends, {@code last_error} clears, the last connection is good. */
    void accepted(long senderId, Instant now);
}
