package dev.mailroom.db.redis;

import dev.mailroom.core.circuit.CircuitBreakers;
import dev.mailroom.core.circuit.CircuitRebuild;
import dev.mailroom.core.circuit.CircuitRule;
import dev.mailroom.core.circuit.DomainHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.api.RFuture;
import org.redisson.api.RScoredSortedSet;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.ScoredEntry;

/**
 * Circuit state in Redis, so every worker sees the same, per route (I16): for each sender a sorted set
 * of open recipient domains scored by when they may be probed, and per domain the recipients tried and
 * failed within the sliding window. Every key of a sender shares its hash tag, so the one script per
 * batch runs on a Redis Cluster too. When Redis lost a sender's state (no rebuilt marker), its open
 * routes are rebuilt from the attempts log first.
 */
public final class RedisCircuitBreakers implements CircuitBreakers {
    private final Redis redis;
    private final DomainHistory history;
    private final CircuitRule rule;
    private final LuaScript record;

    public RedisCircuitBreakers(Redis redis, DomainHistory history, CircuitRule rule) {
        this.redis = redis;
        this.history = history;
        this.rule = rule;
        this.record = new LuaScript(redis.client(), "record_route_results.lua");
    }

    @Override
    public Routes routes(long senderId, Instant now) {
        Optional<Collection<ScoredEntry<String>>> read = readRoutes(senderId);
        if (read.isEmpty()) { // the keys were lost (a flush, a failover): rebuilt from PostgreSQL, then read
            rebuild(senderId, now);
            read = readRoutes(senderId);
        }
        Map<String, Instant> open = new HashMap<>();
        Set<String> halfOpen = new HashSet<>();
        for (ScoredEntry<String> e : read.orElse(List.of())) {
            long until = e.getScore().longValue();
            if (until > now.toEpochMilli()) open.put(e.getValue(), Instant.ofEpochMilli(until));
            else halfOpen.add(e.getValue());
        }
        return new Routes(open, halfOpen);
    }

    @Override
    public Optional<Instant> takeProbe(long senderId, String domain, Instant now) {
        var probe = redis.client().<String>getBucket(keys().circuit(senderId, "probe", domain), StringCodec.INSTANCE);
        String lapses = Long.toString(now.plus(rule.coolDown()).toEpochMilli());
        if (probe.setIfAbsent(lapses, rule.coolDown())) return Optional.empty();
        String held = probe.get();
        return Optional.of(held == null ? now : Instant.ofEpochMilli(Long.parseLong(held)));
    }

    @Override
    public void record(long senderId, Map<String, RouteResults> results, Instant now) {
        if (results.isEmpty()) return;
        List<Object> keys = new ArrayList<>(1 + 3 * results.size());
        List<Object> args = new ArrayList<>(List.of(rule.window().toMillis(), rule.minAttempts(), rule.failurePercent(),
                now.plus(rule.coolDown()).toEpochMilli(), now.toEpochMilli()));
        keys.add(keys().circuits(senderId));
        results.forEach((domain, r) -> {
            keys.add(keys().circuit(senderId, "tried", domain));
            keys.add(keys().circuit(senderId, "failed", domain));
            keys.add(keys().circuit(senderId, "info", domain));
            args.addAll(List.of(domain, r.accepted().size(), r.failed().size()));
            args.addAll(r.accepted());
            args.addAll(r.failed());
            args.add(r.lastReply() == null ? "" : r.lastReply());
        });
        record.call(keys, args.toArray()); // one round trip per batch, whatever the number of domains
    }

    @Override
    public List<Circuit> circuits(long senderId, Instant now) {
        List<Circuit> out = new ArrayList<>();
        for (ScoredEntry<String> e : openSet(senderId).entryRange(Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true)) {
            String domain = e.getValue();
            Instant until = Instant.ofEpochMilli(e.getScore().longValue());
            Map<String, String> info = redis.client().<String, String>getMap(keys().circuit(senderId, "info", domain),
                    StringCodec.INSTANCE).readAllMap();
            String openedAt = info.get("opened_at");
            out.add(new Circuit(senderId, domain, !until.isAfter(now), until,
                    Double.parseDouble(info.getOrDefault("failure_rate", "0")),
                    Integer.parseInt(info.getOrDefault("attempts", "0")), info.get("last_reply"),
                    // a route rebuilt from PostgreSQL has no info hash: it opened one cool-down before its probe time
                    openedAt == null ? until.minus(rule.coolDown()) : Instant.ofEpochMilli(Long.parseLong(openedAt))));
        }
        return out;
    }

    @Override
    public boolean close(long senderId, String domain) {
        boolean removed = openSet(senderId).remove(domain);
        for (String part : List.of("tried", "failed", "info", "probe")) {
            redis.client().getBucket(keys().circuit(senderId, part, domain)).delete();
        }
        return removed;
    }

    /** Every route of the sender and whether its keys survived, in one round trip; empty when they were lost. */
    private Optional<Collection<ScoredEntry<String>>> readRoutes(long senderId) {
        RBatch batch = redis.client().createBatch(BatchOptions.defaults());
        RFuture<Boolean> kept = batch.getBucket(rebuiltMarker(senderId), StringCodec.INSTANCE).isExistsAsync();
        RFuture<Collection<ScoredEntry<String>>> routes = batch.<String>getScoredSortedSet(keys().circuits(senderId), StringCodec.INSTANCE)
                .entryRangeAsync(Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true);
        batch.execute();
        return kept.toCompletableFuture().join() ? Optional.of(routes.toCompletableFuture().join()) : Optional.empty();
    }

    private void rebuild(long senderId, Instant now) {
        var marker = redis.client().getBucket(rebuiltMarker(senderId), StringCodec.INSTANCE);
        var attempts = history.recentAttempts(senderId, now.minus(rule.window()).minus(rule.coolDown()), 50_000);
        CircuitRebuild.openRoutes(attempts, rule, now).forEach((domain, until) -> openSet(senderId).add(until.toEpochMilli(), domain));
        marker.setIfAbsent(now.toString());
    }

    private String rebuiltMarker(long senderId) {
        return keys().circuit(senderId, "rebuilt", "");
    }

    private RScoredSortedSet<String> openSet(long senderId) {
        return redis.client().getScoredSortedSet(keys().circuits(senderId), StringCodec.INSTANCE);
    }

    private RedisKeys keys() {
        return redis.keys();
    }
}
