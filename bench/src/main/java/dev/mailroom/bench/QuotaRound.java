package dev.mailroom.bench;

import dev.mailroom.testkit.ReceivedMail;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last round: a new sender with a binding hourly limit, a campaign of 1.5× the limit, a Redis flush
 * and a kill while it sends. It must end deferred (rate_hour) with at most the limit sent in every hour
 * (I5), its Redis counters equal to its attempts (up to the kill's leak), and takeovers bounded (I2).
 */
final class QuotaRound {
    private static final Logger log = LoggerFactory.getLogger(QuotaRound.class);

    private final CampaignFactory campaigns;
    private final Sql sql;
    private final HarnessEnv env;
    private final RoundDriver driver;
    private final Invariants invariants;

    QuotaRound(CampaignFactory campaigns, Sql sql, HarnessEnv env, RoundDriver driver, Invariants invariants) {
        this.campaigns = campaigns;
        this.sql = sql;
        this.env = env;
        this.driver = driver;
        this.invariants = invariants;
    }

    /** @param failover also force a Redis failover (behind a Sentinel set): the hour must hold through it too */
    Map<String, Object> run(int limit, RecordingSink sink, Fleet fleet, FaultLog faults, boolean failover) throws Exception {
        long sender = campaigns.sender("quota", sink.port(), limit, 1_000_000_000L);
        long campaign = campaigns.campaign(sender, "quota", limit * 3L / 2, i -> "q" + i + "@dq" + (i % 50) + ".chaos.test");
        campaigns.api().queue(campaign);
        log.info("quota round: campaign {} of {} recipients, hourly limit {}, a Redis flush and a kill while it sends",
                campaign, limit * 3 / 2, limit);
        List<String> plan = failover ? List.of("redis_flush", "redis_failover", "kill") : List.of("redis_flush", "kill");
        boolean settled = driver.drive(campaign, sink, fleet, faults, plan, limit, true);
        faults.closeRound(settled);
        invariants.add("quota round reached its hourly limit and deferred (rate_hour)", settled,
                "after " + Percentiles.round(faults.now()) + " s");
        Thread.sleep(500);
        List<ReceivedMail> received = sink.received();
        Map<String, Object> round = new LinkedHashMap<>();
        round.put("campaign", campaign);
        round.put("faults", faults.toJson());
        round.put("takeovers", TakeoverCheck.check(invariants, sql, "quota", campaign, faults));
        round.put("verdict", invariants.checkHourlyQuota(campaign, sender, limit, received, sink.arrivalMillis(received.size())));
        round.put("suppression", new SuppressionCheck(sql).check(invariants, "quota", campaign, received, Set.of()));
        round.put("quota_ledger", new QuotaLedgerCheck(sql, env).check(invariants, "quota", sender,
                faults.count("kill_active") + faults.count("kill_standby"), faults.count("redis_flush") + faults.count("redis_failover")));
        return round;
    }
}
