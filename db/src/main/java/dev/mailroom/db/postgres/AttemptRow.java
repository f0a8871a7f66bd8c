package dev.mailroom.db.postgres;

import java.time.Instant;

/** One SMTP attempt of a recipient (delivery_attempt). */
public record AttemptRow(int attemptNo, String outcome, Integer smtpCode, String reply, Integer durationMs,
                         String workerId, Instant attemptedAt) {}
