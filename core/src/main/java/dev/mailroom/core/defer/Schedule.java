package dev.mailroom.core.defer;

import java.time.Instant;
import java.util.Optional;

/**
 * A campaign's {@code send_at}. Every move to queued (queue, resume, a retry) re-applies it: while it is in
 * the future the campaign waits, deferred with reason {@code scheduled} until then; a past one is no wait.
 */
public final class Schedule {
    private Schedule() {}

    public static Optional<Wait> waitFor(Instant sendAt, Instant now) {
        return sendAt != null && sendAt.isAfter(now) ? Optional.of(new Wait(DeferReason.SCHEDULED, sendAt))
                : Optional.empty();
    }
}
