package dev.mailroom.core.delivery;

import dev.mailroom.core.defer.DeferReason;

/**
 * What one SMTP attempt came to, by what the reply refused (I15; {@link SmtpReplies} decides). Expected
 * outcomes are values, not exceptions.
 */
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

    /**
     * The named fault when the relay failed or refused us rather than answering about the message (a
     * {@link RelayRefused} carries its own); null for a reply about the message or the mailbox.
     */
    default RelayFault fault() {
        return this instanceof Unknown ? RelayFault.CONNECTION_LOST : null;
    }

    /** Whether the attempt says something about the recipient's domain route (I16): a refusal or a lost connection there. */
    default boolean failsRoute() {
        return this instanceof RetryLater || this instanceof MessageRefused || this instanceof Unknown;
    }

    /** 2xx after DATA: the server took the message. */
    record Sent(int code, String reply) implements DeliveryOutcome {}

    /** 4xx at RCPT or after DATA (greylisting, rate limits): this recipient is tried again later. */
    record RetryLater(int code, String reply) implements DeliveryOutcome {}

    /** The mailbox itself does not exist or is disabled: the only refusal that suppresses the address (I13). */
    record MailboxRefused(int code, String reply) implements DeliveryOutcome {}

    /** 5xx at RCPT or after DATA about the message or the route (policy, spam, relaying): never suppresses. */
    record MessageRefused(int code, String reply) implements DeliveryOutcome {}

    /**
     * The relay refused us, not the recipient: our credentials ({@code SMTP_AUTH}), our sender
     * ({@code SENDER_REFUSED}), or it could not be reached at all ({@code TRANSIENT_ERROR}). The recipient
     * is untouched; {@code reason} is what the campaign waits for, {@code fault} names what went wrong.
     */
    record RelayRefused(DeferReason reason, int code, String reply, RelayFault fault) implements DeliveryOutcome {
        /** The fault as the reason and code tell it (a refusal with a reply, or this side refusing the settings). */
        public RelayRefused(DeferReason reason, int code, String reply) {
            this(reason, code, reply, RelayFault.of(reason, code));
        }
    }

    /** The connection died after DATA: the server may or may not have the message (I7: never re-sent). */
    record Unknown(int code, String reply) implements DeliveryOutcome {}

    /** The message was not handed to SMTP at all (stopped before its turn). */
    record NotSent(int code, String reply) implements DeliveryOutcome {
        public static final NotSent STOPPED = new NotSent(0, "stopped before sending");
    }
}
