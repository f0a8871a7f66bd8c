package dev.mailroom.core.circuit;

import java.time.Instant;
import java.util.List;

/** PostgreSQL's attempts, newest first, from which circuit state is rebuilt. */
public interface DomainHistory {
    List<DomainAttempt> recentAttempts(Instant since, int limit);
}
