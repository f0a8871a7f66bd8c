package dev.mailroom.core.circuit;

import java.time.Instant;
import java.util.List;

/** PostgreSQL's attempts of one sender since a moment, newest first: what circuit state is rebuilt from. */
public interface DomainHistory {
    List<DomainAttempt> recentAttempts(long senderId, Instant since, int limit);
}
