package dev.mailroom.core.port;

import dev.mailroom.core.defer.DeferReason;
import java.time.Instant;

/**
 * The relay's refusals of a sender in a row (unreachable, credentials, sender), kept in PostgreSQL so the
 * backoff grows across claims and restarts; the sender's {@code last_error} says why its mail waits.
 */
public interface RelayHealth {
    /** Records one refusal and a {@code sender.relay_failed} webhook; returns the refusals in a row, this one included. */
    int refused(long senderId, DeferReason reason, String reply, Instant now);

    /** The relay took a message: the row of refusals ends and {@code last_error} clears. */
    void accepted(long senderId);
}
