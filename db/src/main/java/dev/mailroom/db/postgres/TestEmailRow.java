package dev.mailroom.db.postgres;

import java.time.Instant;

public record TestEmailRow(long id, long senderId, Long campaignId, Long recipientId, String to, String status,
                           String messageId, String lastError, String deferReason, Instant deferredUntil,
                           Instant createdAt, Instant sentAt) {}
