package dev.mailroom.db.postgres;

import java.time.Instant;

/**
 * A sender's relay as the workers last found it: {@code lastFault} names the fault of its {@code last_error}
 * (why its mail waits, null with it); {@code status} is the last connection's outcome ({@code ok} or
 * {@code failed}, null before the first or since its SMTP settings changed), with the named {@code fault},
 * a sentence and when.
 */
public record SenderConnection(String lastFault, String status, String fault, String detail, Instant at) {
    /** Nothing known: no such sender, or none tried yet. */
    public static final SenderConnection NONE = new SenderConnection(null, null, null, null, null);
}
