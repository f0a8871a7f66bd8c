package dev.mailroom.core.bounce;

import java.util.Locale;
import java.util.Optional;

/** What a later report says happened to a message we sent: it bounced for good, for now, or the reader complained. */
public enum BounceType {
    HARD, SOFT, COMPLAINT;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BounceType> ofWire(String wire) {
        for (BounceType t : values()) if (t.wire().equals(wire)) return Optional.of(t);
        return Optional.empty();
    }
}
