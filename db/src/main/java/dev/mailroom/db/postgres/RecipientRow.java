package dev.mailroom.db.postgres;

import java.time.Instant;

public record RecipientRow(long id, String email, String name, String status, String messageId, int attempts,
                           String lastError, Instant attemptedAt, Instant sentAt) {}
