package dev.mailroom.core.port;

/** A worker's hold on one processing campaign; {@code fence} is the token every write carries (I10). */
public record Claim(long campaignId, long senderId, long fence, String workerId) {}
