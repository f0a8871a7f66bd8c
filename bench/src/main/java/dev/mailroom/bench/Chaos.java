package dev.mailroom.bench;

import dev.mailroom.testkit.ReceivedMail;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos run: a round without faults (I12, and nothing for the reconciler to repair), then 3 workers
 * send a campaign to the recording sink while workers are SIGKILLed and restarted, Redis is flushed and
 * PostgreSQL restarted; then the invariants are checked over SQL, Redis, the sink's records and the
 * logs. A round with a binding hourly limit checks the quota through a flush and a kill; the last one has
 * relays answer back (an AUTH outage, policy refusals, a healthy sender beside a refused one).
 */
final class Chaos {
    private static final Logger log = LoggerFactory.getLogger(Chaos.class);
    /** The reconciler runs this often in chaos (60 s by default), so a short run sees many passes. */
    static final int RECONCILE_INTERVAL_MS = 2_000;
    static final String SMTP_USER = "chaos";
    /**
     * A recipient answered 4xx is retried this long after (then twice that, ...): long enough that a
     * campaign whose only due work is such retries defers rather than meeting them within its claim,
     * even on a loaded machine (the healthy round's I12 check needs that deferral).
     */
    static final int RETRY_BASE_MS = 3_000;

    private final HarnessEnv env;
    private final ChaosOptions o;
    private final MailroomApi api;
    private final Sql sql;
    private final Random random;
    private final Map<String, Object> result = new LinkedHashMap<>();
    private final Invariants invariants;
    private final String smtpPassword = "chaos-smtp-" + Long.toHexString(new Random().nextLong() | Long.MIN_VALUE);
    /** What the relay round's AUTH relay takes after its outage: the rotated password, PATCHed onto its sender. */
    private final String rotatedPassword = "chaos-rotated-" + Long.toHexString(new Random().nextLong() | Long.MIN_VALUE);
    private final CampaignFactory campaigns;
    private final Map<String, FaultLog> phaseFaults = new LinkedHashMap<>();
    private final RoundDriver driver;

    Chaos(HarnessEnv env, ChaosOptions o) {
        this.env = env;
        this.o = o;
        this.api = new MailroomApi(env.baseUrl(), env.adminKey());
        this.sql = new Sql(env);
        this.random = new Random(o.seed());
        this.invariants = new Invariants(sql);
        this.campaigns = new CampaignFactory(api, env.runDir(), o.delayMs(), SMTP_USER, smtpPassword);
        this.driver = new RoundDriver(env, sql, random, o.timeoutSeconds(), o.pgCluster());
    }

    Map<String, Object> result() {
        return result;
    }

    Invariants invariants() {
        return invariants;
    }

    void run() throws Exception {
        result.put("settings", Map.ofEntries(Map.entry("recipients", o.n()), Map.entry("workers", o.workers()),
                Map.entry("kills", o.kills()), Map.entry("seed", o.seed()), Map.entry("pg_cluster", o.pgCluster()),
                Map.entry("lock_lease_ms", 3000), Map.entry("retry_base_ms", RETRY_BASE_MS), Map.entry("delay_ms", o.delayMs()),
                Map.entry("reconcile_interval_ms", RECONCILE_INTERVAL_MS), Map.entry("auth_outage_s", o.authOutageSeconds()),
                Map.entry("redis", o.sentinel() ? "sentinel " + env.redisSentinel() : "single " + env.redisHost() + ":" + env.redisPort()),
                Map.entry("build", System.getenv().getOrDefault("BENCH_BUILD", "unknown"))));
        Sql.recreateDatabase(env);
        RedisCommand.flushDb(env);
        Map<String, String> workerEnv = Map.of("MAILROOM_LOCK_LEASE_MS", "3000", "MAILROOM_SCAN_INTERVAL_MS", "500",
                "MAILROOM_RETRY_BASE_MS", Integer.toString(RETRY_BASE_MS), "MAILROOM_CIRCUIT_COOLDOWN_MS", "5000",
                "MAILROOM_SMTP_TIMEOUT_MS", "10000", "MAILROOM_RECONCILE_INTERVAL_MS", Integer.toString(RECONCILE_INTERVAL_MS));
        ReconcileRepairs repairs;
        try (RecordingSink sink = new RecordingSink(); Fleet fleet = new Fleet(env, "chaos-w", 9180, workerEnv)) {
            fleet.startWeb(api, 120);
            fleet.startWorkers(o.workers());
            fleet.awaitWorkers(90);
            repairs = new ReconcileRepairs(fleet);
            repairs.mark("healthy");
            result.put("healthy_round", new HealthyRound(campaigns, sql, env).run(invariants, sink, o.timeoutSeconds()));
            Thread.sleep(RECONCILE_INTERVAL_MS + 1_000); // a reconcile pass of every worker sees the round's end state
            repairs.mark("main");
            mainRound(sink, fleet);
            if (o.quotaRound()) {
                repairs.mark("quota");
                FaultLog faults = new FaultLog();
                phaseFaults.put("quota", faults);
                result.put("quota_round", new QuotaRound(campaigns, sql, env, driver, invariants)
                        .run(o.hourlyLimit(), sink, fleet, faults, o.sentinel()));
            }
            if (o.relayRound()) {
                Thread.sleep(RECONCILE_INTERVAL_MS + 1_000); // the quota round's repairs, if any, stay in its phase
                repairs.mark("relay");
                result.put("relay_round", new RelayRound(campaigns, sql, env, invariants, o.timeoutSeconds())
                        .run(o.authOutageSeconds(), rotatedPassword));
            }
            result.put("deferrals", DeferralCheck.check(invariants, sql));
            repairs.mark("end"); // the last scrape, before the workers stop
            result.put("sink_logins", sink.logins());
        }
        result.put("reconciler_repairs", ReconcileCheck.check(invariants, sql, repairs, phaseFaults));
        result.put("log_scan", new LogScan(env.adminKey(), SMTP_USER, List.of(smtpPassword, rotatedPassword))
                .check(invariants, env.runDir().resolve("logs")));
    }

    private void mainRound(RecordingSink sink, Fleet fleet) throws Exception {
        long sender = campaigns.sender("chaos", sink.port(), 1_000_000_000L, 2_000_000_000L);
        long campaign = campaigns.campaign(sender, "main", o.n(), i -> RecordingSink.address("u", i));
        List<String> plan = new ArrayList<>();
        for (int k = 0; k < o.kills(); k++) plan.add("kill");
        plan.add("redis_flush");
        plan.add("pg_restart");
        if (o.sentinel()) plan.add("redis_failover");
        Collections.shuffle(plan, random);
        FaultLog faults = new FaultLog();
        phaseFaults.put("main", faults);
        Set<String> suppressedBefore = suppressed();
        api.queue(campaign);
        log.info("main round: campaign {} of {} recipients queued; faults in order {}", campaign, o.n(), plan);
        boolean finished = driver.drive(campaign, sink, fleet, faults, plan, o.n(), false);
        faults.closeRound(finished);
        invariants.add("main round finished within " + o.timeoutSeconds() + " s", finished, "after " + Percentiles.round(faults.now()) + " s");
        int kills = faults.count("kill_active") + faults.count("kill_standby");
        invariants.add("every fault was injected and recovered from", faults.allRecovered() && kills == o.kills()
                && faults.count("redis_flush") == 1 && faults.count("pg_restart") == 1
                && faults.count("redis_failover") == (o.sentinel() ? 1 : 0),
                kills + " kills (" + faults.count("kill_active") + " of the sending worker), " + faults.count("redis_flush")
                        + " Redis flush, " + faults.count("pg_restart") + " PostgreSQL restart, " + faults.count("redis_failover")
                        + " Redis failover; worst recovery " + faults.recoverySummary());
        Thread.sleep(500);
        List<ReceivedMail> received = sink.received();
        Map<String, Object> round = new LinkedHashMap<>();
        round.put("campaign", campaign);
        round.put("seconds", Percentiles.round(faults.now()));
        round.put("faults", faults.toJson());
        round.put("recovery", faults.recoverySummary());
        round.put("takeovers", TakeoverCheck.check(invariants, sql, "main", campaign, faults));
        round.put("verdict", invariants.checkCampaign(campaign, received));
        round.put("suppression", new SuppressionCheck(sql).check(invariants, "main", campaign, received, suppressedBefore));
        round.put("quota_ledger", new QuotaLedgerCheck(sql, env).check(invariants, "main", sender,
                kills + faults.count("pg_restart"), faults.count("redis_flush") + faults.count("redis_failover")));
        result.put("main_round", round);
    }

    private Set<String> suppressed() {
        Set<String> out = new HashSet<>();
        for (var r : sql.rows("select lower(email) as email from suppression")) out.add((String) r.get("email"));
        return out;
    }
}
