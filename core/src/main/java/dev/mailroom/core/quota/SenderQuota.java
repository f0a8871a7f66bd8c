package dev.mailroom.core.quota;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A sender's limits. {@code syncedRemaining} is the provider's own count at {@code syncedAt} (I6),
 * null until the first sync.
 */
public record SenderQuota(long senderId, int hourlyLimit, int monthlyLimit, ZoneId zone,
                          Integer syncedRemaining, Instant syncedAt) {}
