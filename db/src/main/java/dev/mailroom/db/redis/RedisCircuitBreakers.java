package dev.mailroom.db.redis;

import dev.mailroom.core.circuit.CircuitBreakers;
import dev.mailroom.core.circuit.CircuitRebuild;
import dev.mailroom.core.circuit.DomainHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.redisson.api.RScoredSortedSet;
import org.redisson.client.codec.StringCodec;
import org.redisson.client.protocol.ScoredEntry;

/**
 * Circuit state in Redis, so every worker sees the same: a sorted set of open domains scored by when
 * they may be probed again, and per domain the distinct message ids that failed in a row. When Redis
 * lost it all (no rebuilt marker), the open circuits are rebuilt from the attempts log first.
 */
public final class RedisCircuitBreakers implements CircuitBreakers {
    private final Redis redis;
    private final DomainHistory history;
    private final int threshold;
    private final Duration coolDown;
    private final LuaScript record;

    public RedisCircuitBreakers(Redis redis, DomainHistory history, int threshold, Duration coolDown) {
        this.redis = redis;
        this.history = history;
        this.threshold = threshold;
        this.coolDown = coolDown;
        this.record = new LuaScript(redis.client(), "record_domain_outcome.lua");
    }

    @Override
    public Map<String, Instant> open(Instant now) {
        rebuildIfLost(now);
        Map<String, Instant> open = new HashMap<>();
        for (ScoredEntry<String> e : openSet().entryRange(now.toEpochMilli(), false, Double.POSITIVE_INFINITY, true)) {
            open.put(e.getValue(), Instant.ofEpochMilli(e.getScore().longValue()));
        }
        return open;
    }

    @Override
    public Set<String> halfOpen(Instant now) {
        return new HashSet<>(openSet().valueRange(Double.NEGATIVE_INFINITY, true, now.toEpochMilli(), true));
    }

    @Override
    public boolean tryProbe(String domain, Instant now) {
        return redis.client().getBucket(redis.keys().prefix() + "cb:probe:" + domain, StringCodec.INSTANCE)
                .setIfAbsent("1", coolDown);
    }

    @Override
    public void record(Map<String, DomainResult> results, Instant now) {
        if (results.isEmpty()) return;
        List<Object> keys = new ArrayList<>(results.size() + 1);
        List<Object> args = new ArrayList<>(List.of(threshold, now.plus(coolDown).toEpochMilli(), now.toEpochMilli()));
        keys.add(openKey());
        results.forEach((domain, r) -> {
            keys.add(redis.keys().prefix() + "cb:fail:" + domain);
            args.addAll(List.of(domain, r.anySuccess() ? "1" : "0", r.failedMessageIds().size()));
            args.addAll(r.failedMessageIds());
        });
        record.call(keys, args.toArray()); // one round trip per batch, whatever the number of domains
    }

    private void rebuildIfLost(Instant now) {
        var marker = redis.client().getBucket(redis.keys().prefix() + "cb:rebuilt", StringCodec.INSTANCE);
        if (marker.isExists()) return;
        Map<String, Instant> open = CircuitRebuild.openDomains(
                history.recentAttempts(now.minus(coolDown), 50_000), threshold, coolDown, now);
        open.forEach((domain, until) -> openSet().add(until.toEpochMilli(), domain));
        marker.setIfAbsent(now.toString());
    }

    private RScoredSortedSet<String> openSet() {
        return redis.client().getScoredSortedSet(openKey(), StringCodec.INSTANCE);
    }

    private String openKey() {
        return redis.keys().prefix() + "cb:open";
    }

}
