package dev.mailroom.worker.loop;

import dev.mailroom.core.circuit.CircuitBreakers;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.recipient.Recipient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The send loop's view of the domain circuit breakers: who may go now, and what a batch taught us. */
final class DomainCircuits {
    private final CircuitBreakers breakers;

    DomainCircuits(CircuitBreakers breakers) {
        this.breakers = breakers;
    }

    Map<String, Instant> open(Instant now) {
        return breakers.open(now);
    }

    /** Recipients of a half-open domain wait, except one probe per domain that this worker wins. */
    List<Recipient> admit(List<Recipient> due, Instant now) {
        Set<String> halfOpen = breakers.halfOpen(now);
        if (halfOpen.isEmpty()) return due;
        Set<String> probing = new HashSet<>();
        Set<String> waiting = new HashSet<>();
        List<Recipient> admitted = new ArrayList<>(due.size());
        for (Recipient r : due) {
            String d = r.domain();
            if (!halfOpen.contains(d)) {
                admitted.add(r);
            } else if (!probing.contains(d) && !waiting.contains(d)) {
                if (breakers.tryProbe(d, now)) {
                    probing.add(d);
                    admitted.add(r);
                } else {
                    waiting.add(d);
                }
            }
        }
        return admitted;
    }

    void record(List<SendBatch.Result> results, Instant now) {
        Map<String, Boolean> success = new HashMap<>();
        Map<String, Set<String>> failed = new HashMap<>();
        for (SendBatch.Result r : results) {
            DeliveryOutcome o = r.outcome();
            if (o instanceof DeliveryOutcome.NotSent) continue;
            String domain = r.message().to().substring(r.message().to().indexOf('@') + 1);
            if (o instanceof DeliveryOutcome.Sent) {
                success.put(domain, true);
            } else if (o.failsRoute()) {
                failed.computeIfAbsent(domain, x -> new HashSet<>()).add(r.message().messageId());
            }
        }
        Map<String, CircuitBreakers.DomainResult> byDomain = new HashMap<>();
        Set<String> domains = new HashSet<>(success.keySet());
        domains.addAll(failed.keySet());
        for (String d : domains) {
            byDomain.put(d, new CircuitBreakers.DomainResult(success.getOrDefault(d, false), failed.getOrDefault(d, Set.of())));
        }
        if (!byDomain.isEmpty()) breakers.record(byDomain, now);
    }
}
