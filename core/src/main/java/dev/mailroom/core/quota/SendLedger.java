package dev.mailroom.core.quota;

import java.time.Instant;

/** PostgreSQL's record of SMTP attempts, from which lost quota counters are rebuilt (I5). */
public interface SendLedger {
    long attemptsSince(long senderId, Instant from);
}
