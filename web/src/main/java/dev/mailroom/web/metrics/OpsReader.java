package dev.mailroom.web.metrics;

import dev.mailroom.core.circuit.CircuitBreakers;
import dev.mailroom.core.circuit.CircuitBreakers.Circuit;
import dev.mailroom.core.quota.QuotaGate;
import dev.mailroom.core.quota.QuotaUsage;
import dev.mailroom.core.sender.Sender;
import dev.mailroom.db.postgres.JooqPollQueries;
import dev.mailroom.db.postgres.JooqPollQueries.Processing;
import dev.mailroom.db.postgres.JooqSenderReputation;
import dev.mailroom.db.postgres.JooqSenderStore;
import dev.mailroom.db.postgres.JooqWebhookStore;
import dev.mailroom.db.postgres.JooqWebhookStore.Backlog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads what the web's operational gauges show from the stores: a few small indexed statements and one Redis
 * read per sender for its quota and circuits. {@link WebMetrics} calls it at most every few seconds, never per
 * scrape.
 */
public final class OpsReader {
    /** One reading; {@link #EMPTY} until the first one succeeds. */
    public record Reading(Map<String, Integer> depth, List<Processing> processing, List<Circuit> circuits,
                          List<QuotaUse> quotas, Backlog webhooks) {
        static final Reading EMPTY = new Reading(Map.of(), List.of(), List.of(), List.of(), new Backlog(0, null));
    }

    public record QuotaUse(long senderId, QuotaUsage usage) {}

    private final JooqPollQueries poll;
    private final JooqSenderStore senders;
    private final CircuitBreakers circuits;
    private final QuotaGate quota;
    private final JooqWebhookStore webhooks;
    private final JooqSenderReputation reputation;
    private final Duration reputationWindow;

    /** @param reputationWindow how far back a complaint rate looks (the reputation endpoint's window) */
    public OpsReader(JooqPollQueries poll, JooqSenderStore senders, CircuitBreakers circuits, QuotaGate quota,
                     JooqWebhookStore webhooks, JooqSenderReputation reputation, Duration reputationWindow) {
        this.poll = poll;
        this.senders = senders;
        this.circuits = circuits;
        this.quota = quota;
        this.webhooks = webhooks;
        this.reputation = reputation;
        this.reputationWindow = reputationWindow;
    }

    public Reading read(Instant now) {
        List<Circuit> open = new ArrayList<>();
        List<QuotaUse> quotas = new ArrayList<>();
        for (Sender s : senders.list()) {
            open.addAll(circuits.circuits(s.id(), now));
            quotas.add(new QuotaUse(s.id(), quota.usage(s.quota(), now)));
        }
        return new Reading(poll.depthByStatus(), poll.processing(), open, quotas, webhooks.backlog());
    }

    /** Every sender's complaint rate over the reputation window: counts over days, so read less often. */
    public Map<Long, Double> complaintRates(Instant now) {
        return reputation.complaintRates(now.minus(reputationWindow));
    }
}
