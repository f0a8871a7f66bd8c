package dev.mailroom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.testkit.ReceivedMail;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the relay round's phases share: the API, SQL and the checks, a bounded wait, and the few facts
 * each phase reads about its campaigns — recipient statuses, attempt outcomes, what reached the relay,
 * the routes the API lists as open.
 */
record RelayContext(CampaignFactory campaigns, Sql sql, HarnessEnv env, Invariants inv, int timeoutSeconds) {
    private static final Logger log = LoggerFactory.getLogger(RelayContext.class);

    interface Condition {
        boolean holds() throws Exception;
    }

    MailroomApi api() {
        return campaigns.api();
    }

    /** Asks every 200 ms until the condition holds or the round's timeout passed; whether it held. */
    boolean await(Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(200);
        }
        return true;
    }

    /** The campaign's queue status, with its reason when it waits ("deferred smtp_auth"). */
    String queueStatus(long campaign) {
        Map<String, Object> q = sql.row("select status, defer_reason from campaign_queue where campaign_id = ?", campaign);
        return q.get("status") + (q.get("defer_reason") == null ? "" : " " + q.get("defer_reason"));
    }

    boolean isFinal(long campaign) {
        return sql.one("select count(*) from campaign_queue where campaign_id = ? "
                + "and status in ('sent', 'completed_with_errors', 'cancelled')", campaign) == 1;
    }

    Map<String, Long> statuses(long campaign) {
        return counts("select status, count(*) from campaign_recipient where campaign_id = ? group by 1 order by 1", campaign);
    }

    /** The campaign's delivery_attempt rows by outcome ('auth_refused', 'refused', 'sent', ...). */
    Map<String, Long> outcomes(long campaign) {
        return counts("select outcome, count(*) from delivery_attempt where campaign_id = ? group by 1 order by 1", campaign);
    }

    /** Reasons the campaign was deferred for, with how often (from its queue history). */
    Map<String, Long> deferrals(long campaign) {
        return counts("select defer_reason, count(*) from queue_event where campaign_id = ? and status = 'deferred' "
                + "group by 1 order by 1", campaign);
    }

    /** Messages the relay took for the campaign's recipients. */
    long atRelay(long campaign, RecordingSink relay) {
        return received(campaign, relay).values().stream().mapToLong(Long::longValue).sum();
    }

    /** The campaign's recipients that are not {@code sent}, or that the relay did not take exactly once. */
    List<String> notSentOnce(long campaign, RecordingSink relay) {
        Map<String, Long> received = received(campaign, relay);
        List<String> bad = new ArrayList<>();
        for (var r : sql.rows("select lower(email) as email, status from campaign_recipient where campaign_id = ?", campaign)) {
            String email = (String) r.get("email");
            if (!"sent".equals(r.get("status")) || received.get(email) != 1) bad.add(email);
        }
        return bad;
    }

    /** Waits until the API lists the sender's route to this domain as open; that circuit's view, or null. */
    JsonNode awaitOpenRoute(long sender, String domain) throws Exception {
        JsonNode[] seen = new JsonNode[1];
        await(() -> {
            for (JsonNode c : api().circuits(sender).get("items")) {
                if (c.get("domain").asText().equals(domain) && c.get("state").asText().equals("open")) seen[0] = c;
            }
            return seen[0] != null;
        });
        return seen[0];
    }

    /**
     * Whether the campaign waits — deferred, nothing {@code sending} — and is not due within {@code seconds}:
     * no worker can start a batch of it (a reservation, a refusal) while the harness looks or acts.
     */
    boolean waits(long campaign, int seconds) {
        return sql.one("select count(*) from campaign_queue q join campaign c on c.id = q.campaign_id "
                + "where q.campaign_id = ? and q.status = 'deferred' and c.sending = 0 "
                + "and q.deferred_until > now() + ? * interval '1 second'", campaign, seconds) == 1;
    }

    /**
     * Ends a campaign that cannot finish (its route stays refused): cancelled once it waits with nothing
     * sending and is not due within a second, so no batch is cut and the reconciler has nothing to repair.
     * Whether it is final.
     */
    boolean cancelWhileWaiting(long campaign) throws Exception {
        boolean waiting = await(() -> isFinal(campaign) || waits(campaign, 1));
        if (waiting && !isFinal(campaign)) {
            try {
                api().cancel(campaign);
            } catch (IOException e) {
                log.warn("campaign {} not cancelled: {}", campaign, e.getMessage()); // e.g. 409: it finished meanwhile
            }
        }
        return isFinal(campaign);
    }

    /** I5/I17 for a sender of this round, which has no process fault: its Redis counters equal its kept attempts. */
    Map<String, Object> quotaLedger(String round, long sender) throws IOException {
        return new QuotaLedgerCheck(sql, env).check(inv, round, sender, 0, 0);
    }

    private Map<String, Long> received(long campaign, RecordingSink relay) {
        Map<String, Long> out = new HashMap<>();
        for (var r : sql.rows("select lower(email) as email from campaign_recipient where campaign_id = ?", campaign)) {
            out.put((String) r.get("email"), 0L);
        }
        for (ReceivedMail m : relay.received()) out.computeIfPresent(m.recipient().toLowerCase(), (k, n) -> n + 1);
        return out;
    }

    private Map<String, Long> counts(String query, long campaign) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (var r : sql.rows(query, campaign)) {
            var values = r.values().iterator();
            out.put(String.valueOf(values.next()), ((Number) values.next()).longValue());
        }
        return out;
    }
}
