package dev.mailroom.db.postgres;

import java.time.Instant;

public record SuppressionRow(String email, String reason, Instant createdAt) {}
