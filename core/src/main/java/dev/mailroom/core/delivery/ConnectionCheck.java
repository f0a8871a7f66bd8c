package dev.mailroom.core.delivery;

/**
 * What a connection test came to: the relay took our connection, its TLS and our credentials ({@code fault}
 * null), or the named fault. {@code detail} is a sentence for people, in our words (I15).
 */
public record ConnectionCheck(RelayFault fault, String detail) {
    public static ConnectionCheck passed(String detail) {
        return new ConnectionCheck(null, detail);
    }

    /** The fault of a relay refusal (or failure), said as its sentence. */
    public static ConnectionCheck failed(DeliveryOutcome.RelayRefused refusal) {
        return new ConnectionCheck(refusal.fault(), refusal.fault().describe(refusal.reply()));
    }

    public boolean ok() {
        return fault == null;
    }
}
