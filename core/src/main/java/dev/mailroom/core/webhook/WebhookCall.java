package dev.mailroom.core.webhook;

/**
 * One due outbox row, with what is needed to deliver it. {@code sealedSecret} is the endpoint's signing secret
 * as stored, sealed under {@link #SECRET_SEAL_PURPOSE} (I19).
 */
public record WebhookCall(long outboxId, long endpointId, String url, String sealedSecret, String event, String payload,
                          int attemptNo, java.time.Instant createdAt) {
    public static final String SECRET_SEAL_PURPOSE = "webhook_secret";

    @Override
    public String toString() {
        return "WebhookCall[outboxId=" + outboxId + ", endpointId=" + endpointId + ", event=" + event
                + ", attemptNo=" + attemptNo + ", secret=***]";
    }
}
