package dev.mailroom.core.circuit;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Works out which domains were open from the attempts log: trailing distinct failures per domain. */
public final class CircuitRebuild {
    private CircuitRebuild() {}

    /** @param newestFirst attempts ordered newest first */
    public static Map<String, Instant> openDomains(List<DomainAttempt> newestFirst, int threshold, Duration coolDown,
                                                   Instant now) {
        Map<String, Set<Long>> failures = new HashMap<>();
        Map<String, Instant> lastFailure = new HashMap<>();
        Set<String> settled = new HashSet<>();
        for (DomainAttempt a : newestFirst) {
            if (settled.contains(a.domain())) continue;
            if (a.success()) {
                settled.add(a.domain());
            } else if (a.countsAsFailure()) {
                failures.computeIfAbsent(a.domain(), d -> new HashSet<>()).add(a.recipientId());
                lastFailure.putIfAbsent(a.domain(), a.at());
            }
        }
        Map<String, Instant> open = new HashMap<>();
        failures.forEach((domain, ids) -> {
            Instant until = lastFailure.get(domain).plus(coolDown);
            if (ids.size() >= threshold && until.isAfter(now)) open.put(domain, until);
        });
        return open;
    }
}
