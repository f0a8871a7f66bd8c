package dev.mailroom.db.postgres;

import java.time.Instant;

public record TestEmailRow(long id, long senderId, String status, String messageId, String lastError,
                           String deferReason, Instant deferredUntil) {}
