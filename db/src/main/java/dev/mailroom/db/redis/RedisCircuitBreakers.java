package dev.mailroom.db.redis;

import dev.mailroom.core.circuit.CircuitBreakers;
import dev.mailroom.core.circuit.CircuitRebuild;
import dev.mailroom.core.circuit.CircuitRule;
import dev.mailroom.core.circuit.DomainHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.Tuple;

/**
 * Circuit state in Redis, so every worker sees the same, per route (I16): for each sender a sorted set
 * of open recipient domains scored by when they may be probed, and per domain the recipients tried and
 * failed within the sliding window. Every key of a sender shares its hash tag, so the one script per
 * batch runs on a Redis Cluster too. When Redis lost a sender's state (no rebuilt marker), its open
 * routes are rebuilt from the attempts log first.
 */
public final class RedisCircuitBreakers implements CircuitBreakers {
    private static final String[] PARTS = {"tried", "failed", "info", "probe"};

    private final Redis redis;
    private final DomainHistory history;
    private final CircuitRule rule;
    private final LuaScript record;

    public RedisCircuitBreakers(Redis redis, DomainHistory history, CircuitRule rule) {
        this.redis = redis;
        this.history = history;
        this.rule = rule;
        this.record = new LuaScript(redis, "record_route_results.lua");
    }

    @Override
    public Routes routes(long senderId, Instant now) {
        Optional<List<Tuple>> read = readRoutes(senderId);
        if (read.isEmpty()) { // the keys were lost (a flush, a failover): rebuilt from PostgreSQL, then read
            rebuild(senderId, now);
            read = readRoutes(senderId);
        }
        Map<String, Instant> open = new HashMap<>();
        Set<String> halfOpen = new HashSet<>();
        for (Tuple e : read.orElse(List.of())) {
            long until = (long) e.getScore();
            if (until > now.toEpochMilli()) open.put(e.getElement(), Instant.ofEpochMilli(until));
            else halfOpen.add(e.getElement());
        }
        return new Routes(open, halfOpen);
    }

    /** SET NX and, should the probe be someone else's, its expiry, in one round trip. */
    @Override
    public Optional<Instant> takeProbe(long senderId, String domain, Instant now) {
        String key = keys().circuit(senderId, "probe", domain);
        String lapses = Long.toString(now.plus(rule.coolDown()).toEpochMilli());
        return redis.call(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                Response<String> taken = p.set(key, lapses, SetParams.setParams().nx().px(rule.coolDown().toMillis()));
                Response<String> held = p.get(key);
                p.sync();
                if ("OK".equals(taken.get())) return Optional.empty();
                return Optional.of(held.get() == null ? now : Instant.ofEpochMilli(Long.parseLong(held.get())));
            }
        });
    }

    @Override
    public void record(long senderId, Map<String, RouteResults> results, Instant now) {
        if (results.isEmpty()) return;
        List<String> keys = new ArrayList<>(1 + 3 * results.size());
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
        // One round trip per batch, whatever the number of domains. Run twice, it records the same
        // recipients again: each counts once per route however often it is recorded.
        record.call(keys, args.toArray());
    }

    /** The open routes, then every one's info hash in one pipelined round trip. */
    @Override
    public List<Circuit> circuits(long senderId, Instant now) {
        return redis.call(j -> {
            List<Tuple> open = j.zrangeWithScores(keys().circuits(senderId), 0, -1);
            List<Response<Map<String, String>>> infos = new ArrayList<>(open.size());
            try (AbstractPipeline p = j.pipelined()) {
                for (Tuple e : open) infos.add(p.hgetAll(keys().circuit(senderId, "info", e.getElement())));
                p.sync();
            }
            List<Circuit> out = new ArrayList<>(open.size());
            for (int i = 0; i < open.size(); i++) {
                Instant until = Instant.ofEpochMilli((long) open.get(i).getScore());
                Map<String, String> info = infos.get(i).get();
                String openedAt = info.get("opened_at");
                out.add(new Circuit(senderId, open.get(i).getElement(), !until.isAfter(now), until,
                        Double.parseDouble(info.getOrDefault("failure_rate", "0")),
                        Integer.parseInt(info.getOrDefault("attempts", "0")), info.get("last_reply"),
                        // a route rebuilt from PostgreSQL has no info hash: it opened one cool-down before its probe time
                        openedAt == null ? until.minus(rule.coolDown()) : Instant.ofEpochMilli(Long.parseLong(openedAt))));
            }
            return out;
        });
    }

    @Override
    public boolean close(long senderId, String domain) {
        String[] parts = new String[PARTS.length];
        for (int i = 0; i < PARTS.length; i++) parts[i] = keys().circuit(senderId, PARTS[i], domain);
        return redis.call(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                Response<Long> removed = p.zrem(keys().circuits(senderId), domain);
                p.del(parts);
                p.sync();
                return removed.get() > 0;
            }
        });
    }

    /** Every route of the sender and whether its keys survived, in one round trip; empty when they were lost. */
    private Optional<List<Tuple>> readRoutes(long senderId) {
        return redis.call(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                Response<Boolean> kept = p.exists(rebuiltMarker(senderId));
                Response<List<Tuple>> routes = p.zrangeWithScores(keys().circuits(senderId), 0, -1);
                p.sync();
                return kept.get() ? Optional.of(routes.get()) : Optional.empty();
            }
        });
    }

    private void rebuild(long senderId, Instant now) {
        var attempts = history.recentAttempts(senderId, now.minus(rule.window()).minus(rule.coolDown()), 50_000);
        Map<String, Instant> open = CircuitRebuild.openRoutes(attempts, rule, now);
        redis.call(j -> {
            try (AbstractPipeline p = j.pipelined()) {
                open.forEach((domain, until) -> p.zadd(keys().circuits(senderId), until.toEpochMilli(), domain));
                p.set(rebuiltMarker(senderId), now.toString(), SetParams.setParams().nx());
                p.sync();
                return null;
            }
        });
    }

    private String rebuiltMarker(long senderId) {
        return keys().circuit(senderId, "rebuilt", "");
    }

    private RedisKeys keys() {
        return redis.keys();
    }
}
