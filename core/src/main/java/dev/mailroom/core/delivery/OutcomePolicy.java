package dev.mailroom.core.delivery;

import dev.mailroom.core.recipient.Recipient;
import dev.mailroom.core.recipient.RecipientStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a recipient goes after an attempt (the I15 table). A 4xx, or a refusal of the message on this
 * route, is retried with backoff (1, 2, 4 … minutes) until {@code maxAttempts}; only a refused mailbox
 * fails at once; an ambiguous delivery is never retried by itself (I7); a refusal of the relay itself
 * leaves the recipient as it was, its attempt given back.
 */
public record OutcomePolicy(int maxAttempts, Duration firstRetry) {
    public static final OutcomePolicy DEFAULT = new OutcomePolicy(3, Duration.ofMinutes(1));

    /** @param attempts the attempts made so far, this one included */
    public RecipientOutcome settle(Recipient r, int attempts, DeliveryOutcome outcome, long durationMs, Instant now) {
        return switch (outcome) {
            case DeliveryOutcome.Sent s -> to(r, s, durationMs, RecipientStatus.SENT, null);
            case DeliveryOutcome.MailboxRefused m -> to(r, m, durationMs, RecipientStatus.FAILED, null);
            case DeliveryOutcome.Unknown u -> to(r, u, durationMs, RecipientStatus.UNCERTAIN, null);
            case DeliveryOutcome.NotSent n -> to(r, n, durationMs, RecipientStatus.PENDING, null);
            case DeliveryOutcome.RelayRefused x -> to(r, x, durationMs, RecipientStatus.PENDING, null);
            case DeliveryOutcome.RetryLater t -> retryOrFail(r, attempts, t, durationMs, now);
            case DeliveryOutcome.MessageRefused m -> retryOrFail(r, attempts, m, durationMs, now);
        };
    }

    private RecipientOutcome retryOrFail(Recipient r, int attempts, DeliveryOutcome o, long durationMs, Instant now) {
        return attempts >= maxAttempts
                ? to(r, o, durationMs, RecipientStatus.FAILED, null)
                : to(r, o, durationMs, RecipientStatus.PENDING, now.plus(firstRetry.multipliedBy(1L << Math.min(attempts - 1, 10))));
    }

    private static RecipientOutcome to(Recipient r, DeliveryOutcome o, long durationMs, RecipientStatus next, Instant retryAt) {
        return new RecipientOutcome(r.id(), o, durationMs, next, retryAt);
    }
}
