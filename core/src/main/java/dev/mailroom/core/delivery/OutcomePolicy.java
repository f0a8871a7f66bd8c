package dev.mailroom.core.delivery;

import dev.mailroom.core.recipient.Recipient;
import dev.mailroom.core.recipient.RecipientStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a recipient goes after an attempt. Transient trouble is retried with backoff (1, 2, 4 … minutes)
 * until {@code maxAttempts}; an ambiguous delivery is never retried by itself (I7).
 */
public record OutcomePolicy(int maxAttempts, Duration firstRetry) {
    public static final OutcomePolicy DEFAULT = new OutcomePolicy(3, Duration.ofMinutes(1));

    /** @param attempts the attempts made so far, this one included */
    public RecipientOutcome settle(Recipient r, int attempts, DeliveryOutcome outcome, long durationMs, Instant now) {
        return switch (outcome) {
            case DeliveryOutcome.Sent s -> new RecipientOutcome(r.id(), s, durationMs, RecipientStatus.SENT, null);
            case DeliveryOutcome.Failed f -> new RecipientOutcome(r.id(), f, durationMs, RecipientStatus.FAILED, null);
            case DeliveryOutcome.Unknown u -> new RecipientOutcome(r.id(), u, durationMs, RecipientStatus.UNCERTAIN, null);
            case DeliveryOutcome.NotSent n -> new RecipientOutcome(r.id(), n, durationMs, RecipientStatus.PENDING, null);
            // A refused connection says nothing about the recipient: it waits for the campaign's
            // transient_error deferral without using up an attempt.
            case DeliveryOutcome.RetryLater t when t.connectionFailed() ->
                    new RecipientOutcome(r.id(), t, durationMs, RecipientStatus.PENDING, null);
            case DeliveryOutcome.RetryLater t -> attempts >= maxAttempts
                    ? new RecipientOutcome(r.id(), t, durationMs, RecipientStatus.FAILED, null)
                    : new RecipientOutcome(r.id(), t, durationMs, RecipientStatus.PENDING,
                            now.plus(firstRetry.multipliedBy(1L << Math.min(attempts - 1, 10))));
        };
    }
}
