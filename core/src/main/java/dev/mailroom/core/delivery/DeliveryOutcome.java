package dev.mailroom.core.delivery;

/** What one SMTP attempt came to. Expected outcomes are values, not exceptions. */
public sealed interface DeliveryOutcome {
    /** The SMTP code, 0 when the server never answered. */
    int code();

    String reply();

    /**
     * I17: quota pays for what left — only a message the relay accepted, or may have accepted (the
     * connection died after DATA), keeps its reservation; every other outcome gives it back.
     */
    default boolean spendsQuota() {
        return this instanceof Sent || this instanceof Unknown;
    }

    /** 2xx: the server took the message. */
    record Sent(int code, String reply) implements DeliveryOutcome {}

    /** 4xx or a network fault before DATA ended: nothing was delivered, try again later. */
    record RetryLater(int code, String reply, boolean connectionFailed) implements DeliveryOutcome {}

    /** 5xx: permanent; {@code hardBounce} when the mailbox itself is refused. */
    record Failed(int code, String reply, boolean hardBounce) implements DeliveryOutcome {}

    /** The connection died after DATA: the server may or may not have the message (I7: never re-sent). */
    record Unknown(int code, String reply) implements DeliveryOutcome {}

    /** The message was not handed to SMTP at all (stopped before its turn). */
    record NotSent(int code, String reply) implements DeliveryOutcome {
        public static final NotSent STOPPED = new NotSent(0, "stopped before sending");
    }
}
