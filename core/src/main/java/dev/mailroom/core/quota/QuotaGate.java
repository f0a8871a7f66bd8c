package dev.mailroom.core.quota;

import java.time.Instant;

/**
 * I5: checks and counts hourly and monthly sends in one atomic step. A reservation precedes every
 * SMTP attempt; one that provably led to no attempt is given back with {@link #release}.
 */
public interface QuotaGate {
    Reservation reserve(SenderQuota quota, int wanted, Instant now);

    void release(SenderQuota quota, int count, Instant reservedAt);

    QuotaUsage usage(SenderQuota quota, Instant now);
}
