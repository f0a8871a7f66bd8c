package dev.mailroom.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos run: 3 workers send a campaign to the recording sink while workers are SIGKILLed and
 * restarted, Redis is flushed and PostgreSQL restarted; then the invariants are checked over SQL and the
 * sink's records. A second round with a binding hourly limit checks the quota through a flush and a kill.
 */
final class Chaos {
    private static final Logger log = LoggerFactory.getLogger(Chaos.class);

    private final HarnessEnv env;
    private final ChaosOptions o;
    private final MailroomApi api;
    private final Sql sql;
    private final Random random;
    private final Map<String, Object> result = new LinkedHashMap<>();
    private final Invariants invariants;

    Chaos(HarnessEnv env, ChaosOptions o) {
        this.env = env;
        this.o = o;
        this.api = new MailroomApi(env.baseUrl(), env.adminKey());
        this.sql = new Sql(env);
        this.random = new Random(o.seed());
        this.invariants = new Invariants(sql);
    }

    Map<String, Object> result() {
        return result;
    }

    Invariants invariants() {
        return invariants;
    }

    void run() throws Exception {
        result.put("settings", Map.of("recipients", o.n(), "workers", o.workers(), "kills", o.kills(), "seed", o.seed(),
                "pg_cluster", o.pgCluster(), "lock_lease_ms", 3000, "delay_ms", o.delayMs(),
                "build", System.getenv().getOrDefault("BENCH_BUILD", "unknown")));
        Sql.recreateDatabase(env);
        RedisCommand.flushDb(env);
        Map<String, String> workerEnv = Map.of("MAILROOM_LOCK_LEASE_MS", "3000", "MAILROOM_SCAN_INTERVAL_MS", "500",
                "MAILROOM_RETRY_BASE_MS", "500", "MAILROOM_CIRCUIT_COOLDOWN_MS", "5000", "MAILROOM_SMTP_TIMEOUT_MS", "10000");
        try (RecordingSink sink = new RecordingSink(); Fleet fleet = new Fleet(env, "chaos-w", 9180, workerEnv)) {
            fleet.startWeb(api, 120);
            fleet.startWorkers(o.workers());
            fleet.awaitWorkers(90);
            mainRound(sink, fleet);
            if (o.quotaRound()) quotaRound(sink, fleet);
        }
    }

    private void mainRound(RecordingSink sink, Fleet fleet) throws Exception {
        long sender = api.createSender("chaos", sink.port(), 1_000_000_000L, 2_000_000_000L);
        long campaign = campaign(sender, "main", o.n(), i -> RecordingSink.address("u", i));
        List<String> plan = new ArrayList<>();
        for (int k = 0; k < o.kills(); k++) plan.add("kill");
        plan.add("redis_flush");
        plan.add("pg_restart");
        Collections.shuffle(plan, random);
        FaultLog faults = new FaultLog();
        api.queue(campaign);
        log.info("main round: campaign {} of {} recipients queued; faults in order {}", campaign, o.n(), plan);
        boolean finished = drive(campaign, sink, fleet, faults, plan, o.n(), false);
        faults.closeRound(finished);
        invariants.add("main round finished within " + o.timeoutSeconds() + " s", finished, "after " + Percentiles.round(faults.now()) + " s");
        int kills = faults.count("kill_active") + faults.count("kill_standby");
        invariants.add("every fault was injected and recovered from", faults.allRecovered() && kills == o.kills()
                && faults.count("redis_flush") == 1 && faults.count("pg_restart") == 1,
                kills + " kills (" + faults.count("kill_active") + " of the sending worker), " + faults.count("redis_flush")
                        + " Redis flush, " + faults.count("pg_restart") + " PostgreSQL restart; worst recovery " + faults.recoverySummary());
        Thread.sleep(500);
        invariants.checkTakeovers(campaign, faults.count("kill_active") + faults.count("redis_flush") + faults.count("pg_restart"));
        Map<String, Object> round = new LinkedHashMap<>();
        round.put("campaign", campaign);
        round.put("seconds", Percentiles.round(faults.now()));
        round.put("faults", faults.toJson());
        round.put("recovery", faults.recoverySummary());
        round.put("verdict", invariants.checkCampaign(campaign, sink.received()));
        result.put("main_round", round);
    }

    private void quotaRound(RecordingSink sink, Fleet fleet) throws Exception {
        int limit = o.hourlyLimit();
        long sender = api.createSender("quota", sink.port(), limit, 1_000_000_000L);
        long campaign = campaign(sender, "quota", limit * 3L / 2, i -> "q" + i + "@dq" + (i % 50) + ".chaos.test");
        FaultLog faults = new FaultLog();
        api.queue(campaign);
        log.info("quota round: campaign {} of {} recipients, hourly limit {}, a Redis flush and a kill while it sends",
                campaign, limit * 3 / 2, limit);
        boolean settled = drive(campaign, sink, fleet, faults, List.of("redis_flush", "kill"), limit, true);
        faults.closeRound(settled);
        invariants.add("quota round reached its hourly limit and deferred (rate_hour)", settled, "after " + Percentiles.round(faults.now()) + " s");
        Thread.sleep(500);
        List<dev.mailroom.testkit.ReceivedMail> received = sink.received();
        Map<String, Object> round = new LinkedHashMap<>();
        round.put("campaign", campaign);
        round.put("faults", faults.toJson());
        round.put("verdict", invariants.checkHourlyQuota(campaign, sender, limit, received, sink.arrivalMillis(received.size())));
        result.put("quota_round", round);
    }

    private long campaign(long sender, String name, long n, java.util.function.LongFunction<String> address) throws Exception {
        long id = api.createCampaign("chaos " + name, sender, MessageTemplate.standard());
        // Paced through the public delay_ms control, so every planned fault lands while the campaign sends.
        api.controls(id, Map.of("delay_ms", o.delayMs()));
        Path csv = RecipientCsv.write(env.runDir().resolve(name + ".csv"), n, address);
        api.uploadCsv(id, csv);
        return id;
    }

    /**
     * Injects the planned faults at evenly spaced points of the campaign's progress (of {@code expected}
     * messages), each once the previous one was recovered from, until the campaign is final, or — for a
     * quota round — deferred with nothing in flight. Bounded by the round's timeout.
     */
    private boolean drive(long campaign, RecordingSink sink, Fleet fleet, FaultLog faults, List<String> plan, long expected,
                          boolean untilDeferred) throws Exception {
        FaultInjector inject = new FaultInjector(env, fleet, sql, random, campaign, o.pgCluster());
        long deadline = System.nanoTime() + o.timeoutSeconds() * 1_000_000_000L;
        int next = 0;
        long lastLog = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            faults.observe(sink.count());
            Map<String, Object> c;
            try {
                c = sql.row("select q.status, q.defer_reason, c.pending, c.sending, c.sent + c.failed + c.uncertain as done "
                        + "from campaign c join campaign_queue q on q.campaign_id = c.id where c.id = ?", campaign);
            } catch (IllegalStateException e) {
                continue; // PostgreSQL is restarting
            }
            String status = (String) c.get("status");
            long done = ((Number) c.get("done")).longValue();
            if (next < plan.size() && faults.allRecovered() && done >= expected * (next + 1) / (plan.size() + 1)) {
                inject.inject(plan.get(next++), faults, sink.count());
            }
            if (System.nanoTime() - lastLog > 5_000_000_000L) {
                lastLog = System.nanoTime();
                log.info("{} s: {} {} done, sink {}, faults {}/{}", Math.round(faults.now()), status, done, sink.count(), next, plan.size());
            }
            boolean quiet = ((Number) c.get("sending")).longValue() == 0;
            boolean fin = status.equals("sent") || status.equals("completed_with_errors");
            if (fin && next < plan.size()) {
                log.warn("the campaign finished before fault {} of {} could be injected", next + 1, plan.size());
                return true;
            }
            if (next == plan.size() && faults.allRecovered()) {
                if (!untilDeferred && fin) return true;
                if (untilDeferred && "deferred".equals(status) && "rate_hour".equals(c.get("defer_reason")) && quiet) return true;
                if (untilDeferred && fin) return true; // an hour boundary passed meanwhile: the per-hour check still holds
            }
        }
        return false;
    }
}
