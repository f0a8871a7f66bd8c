package dev.mailroom.core.quota;

import java.time.Instant;

/**
 * I5: checks and counts hourly and monthly sends in one atomic step. A reservation precedes every
 * SMTP attempt; one that provably led to no attempt is given back with {@link #release}.
 */
public interface QuotaGate {
    /**
     * Grants up to {@code wanted} sends. The hour's count never passes {@code quota.hourCeiling(use)}: a
     * campaign stops below the sender's test reserve, a test email may use the whole hourly limit.
     */
    Reservation reserve(SenderQuota quota, QuotaUse use, int wanted, Instant now);

    /** A campaign's reservation (the test reserve is kept back). */
    default Reservation reserve(SenderQuota quota, int wanted, Instant now) {
        return reserve(quota, QuotaUse.CAMPAIGN, wanted, now);
    }

    /**
     * Gives back {@code count} sends of a reservation taken at {@code reservedAt} from the counters'
     * {@code generation} (see {@link Reservation#generation}); nothing when the counters were rebuilt since.
     */
    void release(SenderQuota quota, int count, Instant reservedAt, String generation);

    QuotaUsage usage(SenderQuota quota, Instant now);
}
