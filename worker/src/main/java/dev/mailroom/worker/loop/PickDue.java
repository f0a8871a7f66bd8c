package dev.mailroom.worker.loop;

import dev.mailroom.core.circuit.CircuitBreakers;
import dev.mailroom.core.port.CampaignStore;
import dev.mailroom.core.port.Claim;
import dev.mailroom.core.recipient.Recipient;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Picks the next batch of recipients due now, leaving out those whose domain's circuit is open. */
final class PickDue {
    sealed interface Picked {}

    /** Recipients to send now. */
    record Due(List<Recipient> recipients) implements Picked {}

    /** Nothing is due now; {@code openCircuits} were left out (domain → until when). */
    record NoneDue(Map<String, Instant> openCircuits) implements Picked {}

    /** Every due recipient belongs to a half-open route whose one probe someone holds until {@code until}. */
    record HeldByCircuits(Instant until) implements Picked {}

    private final CampaignStore campaigns;
    private final DomainCircuits circuits;

    PickDue(CampaignStore campaigns, DomainCircuits circuits) {
        this.campaigns = campaigns;
        this.circuits = circuits;
    }

    Picked next(Claim claim, int batchSize, Instant now) {
        CircuitBreakers.Routes routes = circuits.routes(claim.senderId(), now);
        List<Recipient> fetched = campaigns.nextPending(claim, batchSize, now, routes.open().keySet());
        if (fetched.isEmpty()) return new NoneDue(routes.open());
        DomainCircuits.Admitted admitted = circuits.admit(claim.senderId(), routes.halfOpen(), fetched, now);
        return admitted.recipients().isEmpty() ? new HeldByCircuits(admitted.heldUntil()) : new Due(admitted.recipients());
    }
}
