package dev.mailroom.worker.loop;

import dev.mailroom.core.circuit.CircuitBreakers;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.ReplyText;
import dev.mailroom.core.recipient.Recipient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The send loop's view of one sender's routes (I16): who may go now, and what a batch taught us. */
final class DomainCircuits {
    private final CircuitBreakers breakers;

    DomainCircuits(CircuitBreakers breakers) {
        this.breakers = breakers;
    }

    CircuitBreakers.Routes routes(long senderId, Instant now) {
        return breakers.routes(senderId, now);
    }

    /** Who may go: {@code heldUntil}, when none may, is the earliest a probe someone else holds lapses. */
    record Admitted(List<Recipient> recipients, Instant heldUntil) {}

    /** Recipients of a half-open route wait, except one probe per route that this worker wins. */
    Admitted admit(long senderId, Set<String> halfOpen, List<Recipient> due, Instant now) {
        if (halfOpen.isEmpty()) return new Admitted(due, null);
        Set<String> probing = new HashSet<>();
        Map<String, Instant> waiting = new HashMap<>();
        List<Recipient> admitted = new ArrayList<>(due.size());
        for (Recipient r : due) {
            String d = r.domain();
            if (!halfOpen.contains(d)) {
                admitted.add(r);
            } else if (!probing.contains(d) && !waiting.containsKey(d)) {
                Optional<Instant> heldUntil = breakers.takeProbe(senderId, d, now);
                if (heldUntil.isEmpty()) {
                    probing.add(d);
                    admitted.add(r);
                } else {
                    waiting.put(d, heldUntil.get());
                }
            }
        }
        return new Admitted(admitted, waiting.values().stream().min(Instant::compareTo).orElse(now));
    }

    /** Accepted and route-failing attempts per recipient domain; the rest says nothing about the route. */
    void record(long senderId, List<SendBatch.Result> results, Instant now) {
        Map<String, Set<Long>> accepted = new HashMap<>();
        Map<String, Set<Long>> failed = new HashMap<>();
        Map<String, String> lastReply = new HashMap<>();
        for (SendBatch.Result r : results) {
            DeliveryOutcome o = r.outcome();
            String domain = r.message().to().substring(r.message().to().indexOf('@') + 1);
            if (o instanceof DeliveryOutcome.Sent) {
                accepted.computeIfAbsent(domain, x -> new HashSet<>()).add(r.message().key());
            } else if (o.failsRoute()) {
                failed.computeIfAbsent(domain, x -> new HashSet<>()).add(r.message().key());
                lastReply.put(domain, ReplyText.clean(o.reply()));
            }
        }
        Map<String, CircuitBreakers.RouteResults> byDomain = new HashMap<>();
        Set<String> domains = new HashSet<>(accepted.keySet());
        domains.addAll(failed.keySet());
        for (String d : domains) {
            byDomain.put(d, new CircuitBreakers.RouteResults(accepted.getOrDefault(d, Set.of()),
                    failed.getOrDefault(d, Set.of()), lastReply.get(d)));
        }
        if (!byDomain.isEmpty()) breakers.record(senderId, byDomain, now);
    }
}
