package dev.mailroom.core.circuit;

import java.time.Instant;

/** One past attempt on a route: accepted, or failed the route ({@code reply} says how). */
public record DomainAttempt(String domain, long recipientId, boolean success, String reply, Instant at) {}
