package dev.mailroom.core.webhook;

/** One due outbox row, with what is needed to deliver it. */
public record WebhookCall(long outboxId, long endpointId, String url, String secret, String event, String payload,
                          int attemptNo, java.time.Instant createdAt) {}
