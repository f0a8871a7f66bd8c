package dev.mailroom.db.postgres;

import java.time.Instant;

/** One connection test: {@code queued} until a worker ran it, then {@code ok} or {@code failed} with its named fault. */
public record ConnectionTestRow(long id, long senderId, String status, String fault, String detail, Instant createdAt,
                                Instant testedAt) {}
