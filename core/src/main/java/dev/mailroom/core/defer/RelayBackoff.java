package dev.mailroom.core.defer;

import java.time.Duration;
import java.util.List;

/**
 * How long a sender waits after its relay refused it (unreachable, credentials, sender): 1, 5, 15, then
 * 60 minutes. The count of failures in a row is kept with the sender, so the wait grows across claims
 * and restarts, and the first accepted message resets it.
 */
public final class RelayBackoff {
    private static final List<Duration> STEPS =
            List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(60));

    private RelayBackoff() {}

    /** @param failuresInARow 1 for the first refusal */
    public static Duration after(int failuresInARow) {
        return STEPS.get(Math.max(0, Math.min(failuresInARow, STEPS.size()) - 1));
    }
}
