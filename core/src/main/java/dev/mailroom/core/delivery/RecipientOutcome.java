package dev.mailroom.core.delivery;

import dev.mailroom.core.recipient.RecipientStatus;
import java.time.Instant;

/**
 * One recipient's attempt, settled: what SMTP said and where the recipient goes next
 * ({@code retryAt} set only when it goes back to pending for a later retry).
 */
public record RecipientOutcome(long recipientId, DeliveryOutcome outcome, long durationMs,
                               RecipientStatus next, Instant retryAt) {}
