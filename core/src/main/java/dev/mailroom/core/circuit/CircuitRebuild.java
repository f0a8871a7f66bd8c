package dev.mailroom.core.circuit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Works out a sender's open routes from its attempts log when Redis lost them (I16): a route is open
 * when, in the window ending at its latest failure, the rule's failure rate was reached over its
 * recipients (each counted once, by its latest attempt), and that failure is less than a cool-down ago.
 */
public final class CircuitRebuild {
    private CircuitRebuild() {}

    /** @param newestFirst the sender's attempts since now − (window + cool-down), newest first */
    public static Map<String, Instant> openRoutes(List<DomainAttempt> newestFirst, CircuitRule rule, Instant now) {
        Map<String, List<DomainAttempt>> byDomain = new LinkedHashMap<>();
        for (DomainAttempt a : newestFirst) byDomain.computeIfAbsent(a.domain(), d -> new ArrayList<>()).add(a);
        Map<String, Instant> open = new HashMap<>();
        byDomain.forEach((domain, attempts) -> {
            if (attempts.get(0).success()) return; // the route delivered since: it is closed
            DomainAttempt lastFailure = attempts.get(0);
            Instant until = lastFailure.at().plus(rule.coolDown());
            if (!until.isAfter(now)) return;
            Instant from = lastFailure.at().minus(rule.window());
            Map<Long, Boolean> latest = new HashMap<>(); // recipient -> succeeded, by its newest attempt
            for (DomainAttempt a : attempts) {
                if (a.at().isAfter(lastFailure.at()) || a.at().isBefore(from)) continue;
                latest.putIfAbsent(a.recipientId(), a.success());
            }
            int failed = (int) latest.values().stream().filter(ok -> !ok).count();
            if (rule.opens(latest.size(), failed)) open.put(domain, until);
        });
        return open;
    }
}
