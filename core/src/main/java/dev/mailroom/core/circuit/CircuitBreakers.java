package dev.mailroom.core.circuit;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Per recipient domain, shared by every worker: a domain that failed {@code threshold} distinct messages
 * in a row is open (its recipients wait) until a cool-down passes; then one probe message decides.
 */
public interface CircuitBreakers {
    /** Open domains and until when they stay open. */
    Map<String, Instant> open(Instant now);

    /** Domains past their cool-down: one probe each may go; true when this caller holds the probe. */
    boolean tryProbe(String domain, Instant now);

    Set<String> halfOpen(Instant now);

    /** Records a batch's results, per domain: the message ids that failed, and whether any succeeded. */
    void record(Map<String, DomainResult> results, Instant now);

    record DomainResult(boolean anySuccess, Set<String> failedMessageIds) {}
}
