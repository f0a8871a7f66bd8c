package dev.mailroom.core.defer;

import dev.mailroom.core.sender.Sender;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Whether a sender may send now: enabled, and inside its send window. */
public final class SenderGate {
    /** A disabled sender is looked at again after this long (or at once when it is re-enabled). */
    private static final Duration DISABLED_RECHECK = Duration.ofMinutes(5);

    private SenderGate() {}

    public static Optional<Wait> check(Sender sender, Instant now) {
        Optional<Wait> disabled = checkEnabled(sender, now);
        if (disabled.isPresent()) return disabled;
        if (sender.window() != null && !sender.window().isOpen(now)) {
            return Optional.of(new Wait(DeferReason.OUTSIDE_HOURS, sender.window().nextOpen(now)));
        }
        return Optional.empty();
    }

    /** Test emails only ask this: an admin testing a sender wants the mail now, window or not. */
    public static Optional<Wait> checkEnabled(Sender sender, Instant now) {
        return sender.enabled() ? Optional.empty() : Optional.of(new Wait(DeferReason.SMTP_DISABLED, now.plus(DISABLED_RECHECK)));
    }
}
