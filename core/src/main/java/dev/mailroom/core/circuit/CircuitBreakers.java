package dev.mailroom.core.circuit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * I16: a circuit per route — (sender, recipient domain) — shared by every worker, so one sender's relay
 * failing never stalls another sender. Opens on the failure rate ({@link CircuitRule}); an open route
 * waits until a cool-down passes, then one probe message decides.
 */
public interface CircuitBreakers {
    /** The sender's open and half-open routes now, read together (once per batch). */
    Routes routes(long senderId, Instant now);

    /**
     * Takes the route's one probe: empty when this caller holds it now, else when the other holder's
     * probe lapses (a stable time, so a campaign waiting for it is notified once, I3).
     */
    Optional<Instant> takeProbe(long senderId, String domain, Instant now);

    /** Records a batch's completed attempts, per recipient domain, in one call. */
    void record(long senderId, Map<String, RouteResults> results, Instant now);

    /** The sender's open and half-open circuits, as ops see them. */
    List<Circuit> circuits(long senderId, Instant now);

    /** Closes a route by hand; false when it was not open. */
    boolean close(long senderId, String domain);

    /**
     * One batch's attempts on one route, each recipient once: those accepted, and those that failed the
     * route with the last reply seen.
     */
    record RouteResults(Set<Long> accepted, Set<Long> failed, String lastReply) {}

    /**
     * @param open     routes still cooling down: recipient domain → until when
     * @param halfOpen routes past their cool-down: one probe each may go
     */
    record Routes(Map<String, Instant> open, Set<String> halfOpen) {}

    /**
     * @param openedAt when the route opened; a failed probe that opens it again keeps this time, so it tells how
     *                 long the route has been out of service
     */
    record Circuit(long senderId, String domain, boolean halfOpen, Instant until, double failureRate, int attempts,
                   String lastReply, Instant openedAt) {}
}
