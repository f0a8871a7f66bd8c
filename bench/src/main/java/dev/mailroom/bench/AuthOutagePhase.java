package dev.mailroom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relay round, phase 1 (I15, I17): the sender's relay refuses AUTH ({@code 535 5.7.8}) for an outage,
 * then takes only a rotated password, which an admin PATCHes onto the sender. While refused, the
 * campaign waits {@code smtp_auth} (the relay's backoff: 1 minute, then 5), the sender's
 * {@code last_error} says so, no recipient is touched (its attempt count stays 0; each refusal is an
 * {@code auth_refused} attempt) and the quota reserved for the batch is given back. The PATCH — new SMTP
 * settings — starts the backoff over and wakes the campaign at once; then every recipient is sent once.
 */
final class AuthOutagePhase {
    private static final Logger log = LoggerFactory.getLogger(AuthOutagePhase.class);
    static final int RECIPIENTS = 100;
    private static final String ROUND = "relay-auth";

    private final RelayContext c;
    private final String rotatedPassword;

    AuthOutagePhase(RelayContext c, String rotatedPassword) {
        this.c = c;
        this.rotatedPassword = rotatedPassword;
    }

    Map<String, Object> run(RecordingSink relay, int outageSeconds) throws Exception {
        String user = c.campaigns().smtpUser();
        relay.auth().require(true).accept(user, c.campaigns().smtpPassword()).refuse();
        long sender = c.campaigns().sender(ROUND, relay.port(), 1_000_000_000L, 2_000_000_000L);
        long campaign = c.campaigns().campaign(sender, ROUND, RECIPIENTS, i -> "a" + i + "@ra" + (i % 10) + ".chaos.test");
        long start = System.nanoTime();
        c.api().queue(campaign);
        log.info("relay round: the relay refuses AUTH for {} s; campaign {} of sender {} queued", outageSeconds, campaign, sender);
        String lastError = watchOutage(sender, campaign, start, outageSeconds);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("campaign", campaign);
        out.put("outage_s", seconds(start));
        out.put("during_outage", duringOutage(sender, campaign, relay, lastError));

        relay.auth().recover().accept(user, rotatedPassword);
        // PATCH while the campaign waits: a retry already on its way would present the old password again.
        boolean waiting = c.await(() -> c.waits(campaign, 5));
        long patched = System.nanoTime();
        double patchedAfter = seconds(start);
        c.api().patchSender(sender, Map.of("smtp", Map.of("password", rotatedPassword)));
        log.info("relay round: the relay takes a rotated password; sender {} PATCHed with it", sender);
        boolean done = c.await(() -> c.isFinal(campaign));
        double toFinal = seconds(patched);
        List<String> notOnce = c.notSentOnce(campaign, relay);
        String status = c.queueStatus(campaign);
        JsonNode lastErrorAfter = c.api().sender(sender).get("last_error");
        c.inv().add("I15 after the relay recovered and the sender was PATCHed, each recipient sent once (" + ROUND + ")",
                waiting && done && status.equals("sent") && notOnce.isEmpty() && lastErrorAfter.isNull(),
                "PATCH " + patchedAfter + " s after queueing" + (waiting ? "" : " (the campaign never waited)") + "; " + status
                        + " " + toFinal + " s after it; " + (RECIPIENTS - notOnce.size()) + " of " + RECIPIENTS
                        + " sent, each once at the relay" + examples(notOnce) + "; last_error " + lastErrorAfter);
        out.put("patched_after_s", patchedAfter);
        out.put("patch_to_final_s", toFinal);
        out.put("status", status);
        out.put("not_sent_once", notOnce.size());
        out.put("quota_ledger", c.quotaLedger(ROUND, sender));
        return out;
    }

    /**
     * Until the outage is over and the campaign waits, not due within 5 s, so no retry is under way while
     * the harness looks (a 60 s outage thus lasts until the first retry has been refused too): the first
     * last_error the API showed.
     */
    private String watchOutage(long sender, long campaign, long start, int outageSeconds) throws Exception {
        String[] lastError = new String[1];
        c.await(() -> {
            JsonNode e = c.api().sender(sender).get("last_error");
            if (lastError[0] == null && e != null && !e.isNull()) lastError[0] = e.asText();
            return seconds(start) >= outageSeconds && c.waits(campaign, 5);
        });
        return lastError[0];
    }

    private Map<String, Object> duringOutage(long sender, long campaign, RecordingSink relay, String lastError) throws Exception {
        Map<String, Long> deferrals = c.deferrals(campaign);
        Map<String, Object> first = c.sql().row("select round(extract(epoch from deferred_until - created_at)) as s from queue_event "
                + "where campaign_id = ? and status = 'deferred' order by id limit 1", campaign);
        c.inv().add("I15 AUTH refused (535 5.7.8): the campaign waits smtp_auth, last_error says so (" + ROUND + ")",
                !deferrals.isEmpty() && deferrals.keySet().equals(Set.of("smtp_auth")) && lastError != null
                        && lastError.startsWith("smtp_auth:"),
                "deferrals " + deferrals + ", the first for " + first.get("s") + " s; now " + c.queueStatus(campaign)
                        + "; last_error \"" + lastError + "\"");

        Map<String, Long> outcomes = c.outcomes(campaign);
        long touched = c.sql().one("select count(*) from campaign_recipient where campaign_id = ? "
                + "and (status <> 'pending' or attempts > 0)", campaign);
        long atRelay = c.atRelay(campaign, relay);
        c.inv().add("I15 AUTH refused: no recipient touched, refusals recorded as auth_refused (" + ROUND + ")",
                touched == 0 && atRelay == 0 && outcomes.getOrDefault("auth_refused", 0L) > 0
                        && Set.of("auth_refused", "not_sent").containsAll(outcomes.keySet()),
                touched + " of " + RECIPIENTS + " recipients not pending or with attempts; attempts by outcome " + outcomes
                        + "; " + atRelay + " at the relay");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deferrals", deferrals);
        out.put("first_backoff_s", first.get("s"));
        out.put("last_error", lastError);
        out.put("attempts_by_outcome", outcomes);
        out.put("recipients_touched", touched);
        out.put("quota_ledger", c.quotaLedger(ROUND + " outage", sender));
        return out;
    }

    private static double seconds(long since) {
        return Percentiles.round((System.nanoTime() - since) / 1e9);
    }

    private static String examples(List<String> items) {
        return items.isEmpty() ? "" : " (" + items.size() + " not, e.g. " + items.stream().limit(3).toList() + ")";
    }
}
