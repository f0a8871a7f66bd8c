package dev.mailroom.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The round without faults, before the main round, on a sender of its own. Campaign A: 10 recipients
 * the sink answers 4xx once, and 3 it refuses with a mailbox refusal (the main round's first hard-bounce
 * addresses, so the main round finds them suppressed). Campaign B: 100 ordinary recipients, queued right
 * after A. A's 4xx recipients wait for their retry ({@link Chaos#RETRY_BASE_MS}), so A must defer
 * (transient_error) and release its claim; I12 says B, ready all along, then runs at once: B's first
 * attempt must precede both A's deferred_until and A's retries. A that never defers fails the check: its
 * worker kept the claim while it waited (or the machine was too slow for a 3 s retry to tell).
 * The reconciler must repair nothing during this round (checked by {@link ReconcileRepairs}).
 */
final class HealthyRound {
    private static final Logger log = LoggerFactory.getLogger(HealthyRound.class);
    /** The main round's first hard-bounce addresses ({@link RecordingSink#address}: i % 200 == 3). */
    static final List<Long> REFUSED = List.of(3L, 203L, 403L);

    private final CampaignFactory campaigns;
    private final MailroomApi api;
    private final Sql sql;

    private final HarnessEnv env;

    HealthyRound(CampaignFactory campaigns, Sql sql, HarnessEnv env) {
        this.campaigns = campaigns;
        this.api = campaigns.api();
        this.sql = sql;
        this.env = env;
    }

    /** Runs the round and its checks (I12; I13 and the quota ledger, which must be exact without faults). */
    Map<String, Object> run(Invariants inv, RecordingSink sink, int timeoutSeconds) throws Exception {
        long sender = campaigns.sender("calm", sink.port(), 1_000_000_000L, 2_000_000_000L);
        long a = campaigns.campaign(sender, "calm-a", 10 + REFUSED.size(), i -> i < 10
                ? "t" + (900_000 + i) + "@tf" + (900_000 + i) + ".chaos.test" : RecordingSink.address("u", REFUSED.get((int) i - 10)));
        long b = campaigns.campaign(sender, "calm-b", 100, i -> "c" + i + "@d" + (i % 100) + ".chaos.test");
        api.queue(a);
        api.queue(b);
        log.info("healthy round: campaigns {} (4xx once and mailbox refusals) and {} (ordinary) queued, no faults", a, b);
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        boolean done = false;
        while (!done && System.nanoTime() < deadline) {
            Thread.sleep(200);
            done = sql.one("select count(*) from campaign_queue where campaign_id in (?, ?) "
                    + "and status in ('sent', 'completed_with_errors')", a, b) == 2;
        }
        inv.add("healthy round finished within " + timeoutSeconds + " s", done, done ? "both campaigns final" : "still open");

        Map<String, Object> deferral = sql.row("select created_at, deferred_until, defer_reason from queue_event "
                + "where campaign_id = ? and status = 'deferred' order by id limit 1", a);
        Instant until = Sql.instant(deferral.get("deferred_until"));
        Instant deferredAt = Sql.instant(deferral.get("created_at"));
        Instant bFirst = time("select min(attempted_at) from delivery_attempt where campaign_id = ?", b);
        Instant aRetry = time("select min(attempted_at) from delivery_attempt where campaign_id = ? and attempt_no >= 2", a);
        boolean ok = until != null && bFirst != null && bFirst.isBefore(until) && (aRetry == null || bFirst.isBefore(aRetry));
        inv.add("I12 a deferred campaign does not hold back the next ready one", ok, until == null
                ? "campaign A never deferred: its worker kept the claim until A's retries were due"
                : "A deferred (" + deferral.get("defer_reason") + ", for " + ms(deferredAt, until) + " ms); B's first attempt "
                        + ms(deferredAt, bFirst) + " ms after A's deferral; A's retries " + ms(deferredAt, aRetry) + " ms after it");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("campaigns", List.of(a, b));
        out.put("a_deferred_for_ms", ms(deferredAt, until));
        out.put("b_first_attempt_after_a_deferral_ms", ms(deferredAt, bFirst));
        out.put("a_retry_after_a_deferral_ms", ms(deferredAt, aRetry));
        out.put("status", sql.rows("select campaign_id, status from campaign_queue where campaign_id in (?, ?) order by 1", a, b));
        out.put("suppression", new SuppressionCheck(sql).check(inv, "healthy", a, sink.received(), Set.of()));
        out.put("quota_ledger", new QuotaLedgerCheck(sql, env).check(inv, "healthy", sender, 0, 0));
        return out;
    }

    private Instant time(String query, long campaign) {
        Map<String, Object> row = sql.row(query, campaign);
        return row.isEmpty() ? null : Sql.instant(row.values().iterator().next());
    }

    private static Long ms(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis();
    }
}
