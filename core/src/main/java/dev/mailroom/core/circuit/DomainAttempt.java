package dev.mailroom.core.circuit;

import java.time.Instant;

/** One past attempt, as circuit state is rebuilt from when Redis lost it. */
public record DomainAttempt(String domain, long recipientId, boolean success, boolean countsAsFailure, Instant at) {}
