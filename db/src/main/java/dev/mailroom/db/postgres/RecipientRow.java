package dev.mailroom.db.postgres;

import java.time.Instant;

/** One recipient of a campaign; {@code varsJson} is its vars as stored (a JSON object of strings), or null. */
public record RecipientRow(long id, String email, String name, String varsJson, String status, String messageId,
                           int attempts, String lastError, Instant attemptedAt, Instant sentAt) {}
