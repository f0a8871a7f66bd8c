package dev.mailroom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relay round, phases 2 and 3 (I13, I15, I16, I17): the relay refuses one sender's messages after DATA
 * with {@value #SPAM} (scripted for that sender's address). The reply refuses the message on this route,
 * never the mailbox: nobody is suppressed, the recipients go back to pending (failed once their attempts
 * run out), the route's circuit opens and the refused messages keep no quota. In phase 3 a second,
 * healthy sender mails the same domain through the same relay at the same time, and must not notice:
 * circuits belong to a (sender, domain) route.
 */
final class PolicyRefusalPhase {
    private static final Logger log = LoggerFactory.getLogger(PolicyRefusalPhase.class);
    static final String SPAM = "554 5.7.1 Message rejected as spam";
    /** Recipients of a refused campaign, all on one domain: above the circuit's minimum volume (20). */
    static final int REFUSED = 40;
    static final int HEALTHY = 200;
    /** The healthy campaign's pacing, ~5 s over 8 lanes: the refused route opens while it sends. */
    static final int HEALTHY_DELAY_MS = 200;
    private static final String SHARED = "shared.chaos.test";

    private final RelayContext c;
    private final RecordingSink relay;

    PolicyRefusalPhase(RelayContext c, RecordingSink relay) {
        this.c = c;
        this.relay = relay;
    }

    /** Phase 2: one sender, refused by policy. */
    Map<String, Object> alone() throws Exception {
        long sender = refusedSender("relay-policy");
        long campaign = c.campaigns().campaign(sender, "relay-policy", REFUSED, i -> "p" + i + "@policy.chaos.test");
        c.api().queue(campaign);
        log.info("relay round: the relay refuses sender {} by policy; its campaign {} queued", sender, campaign);
        JsonNode route = c.awaitOpenRoute(sender, "policy.chaos.test");
        return refusedRoute("relay-policy", sender, campaign, "policy.chaos.test", route);
    }

    /** Phase 3: sender A refused by policy, sender B healthy, both mailing one domain through one relay at once. */
    Map<String, Object> besideHealthySender() throws Exception {
        long a = refusedSender("relay-a");
        long b = c.campaigns().sender("relay-b", relay.port(), 1_000_000_000L, 2_000_000_000L);
        long ca = c.campaigns().campaign(a, "relay-a", REFUSED, i -> "sa" + i + "@" + SHARED);
        long cb = c.campaigns().campaign(b, "relay-b", HEALTHY, i -> "sb" + i + "@" + SHARED);
        c.api().controls(cb, Map.of("delay_ms", HEALTHY_DELAY_MS));
        c.api().queue(cb); // B first: it sends before A's route opens, and while it is open
        c.api().queue(ca);
        log.info("relay round: senders {} (refused) and {} (healthy) mail one domain through one relay: campaigns {}, {}", a, b, ca, cb);
        JsonNode route = c.awaitOpenRoute(a, SHARED);
        long bBefore = c.atRelay(cb, relay);
        int[] bRoutes = new int[1];
        boolean bDone = c.await(() -> {
            bRoutes[0] = Math.max(bRoutes[0], c.api().circuits(b).get("items").size());
            return c.isFinal(cb);
        });
        bRoutes[0] = Math.max(bRoutes[0], c.api().circuits(b).get("items").size());
        List<String> notOnce = c.notSentOnce(cb, relay);
        Map<String, Long> bDeferrals = c.deferrals(cb);
        String bStatus = c.queueStatus(cb);
        c.inv().add("I16 a healthy sender mailing the same domain through the same relay is unaffected (relay-shared)",
                route != null && bBefore < HEALTHY && bDone && bStatus.equals("sent") && notOnce.isEmpty() && bRoutes[0] == 0
                        && bDeferrals.isEmpty(),
                "A's route " + (route == null ? "never opened" : "opened") + " when B had sent " + bBefore + " of " + HEALTHY
                        + "; B " + bStatus + ", " + (HEALTHY - notOnce.size()) + " sent once at the relay, deferrals "
                        + bDeferrals + ", open routes seen " + bRoutes[0]);
        Map<String, Object> healthy = new LinkedHashMap<>();
        healthy.put("campaign", cb);
        healthy.put("status", bStatus);
        healthy.put("sent_before_a_route_opened", bBefore);
        healthy.put("not_sent_once", notOnce.size());
        healthy.put("open_routes_seen", bRoutes[0]);
        healthy.put("quota_ledger", c.quotaLedger("relay-shared B", b));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("refused_sender", refusedRoute("relay-shared A", a, ca, SHARED, route));
        out.put("healthy_sender", healthy);
        return out;
    }

    /** The refused sender's checks: its route opened; once its campaign is ended, nobody suppressed, no quota kept. */
    private Map<String, Object> refusedRoute(String round, long sender, long campaign, String domain, JsonNode route)
            throws Exception {
        c.inv().add("I16 a route refused by policy opens its circuit (" + round + ")", route != null, route == null
                ? "sender " + sender + " / " + domain + " never listed open"
                : "sender " + sender + " / " + domain + " open, failure rate " + route.get("failure_rate") + " over "
                        + route.get("attempts") + " recipients, last reply " + route.get("last_reply")
                        + "; the campaign waited " + c.deferrals(campaign));
        boolean ended = c.cancelWhileWaiting(campaign); // its route stays refused: it would wait for ever
        Map<String, Long> statuses = c.statuses(campaign);
        Map<String, Long> outcomes = c.outcomes(campaign);
        long atRelay = c.atRelay(campaign, relay);
        c.inv().add("I15 a policy refusal after DATA leaves its recipients pending or failed (" + round + ")",
                ended && Set.of("pending", "failed").containsAll(statuses.keySet())
                        && outcomes.getOrDefault("refused", 0L) > 0 && atRelay == 0,
                "recipients " + statuses + "; attempts by outcome " + outcomes + "; " + atRelay + " at the relay; campaign "
                        + c.queueStatus(campaign));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("campaign", campaign);
        out.put("route", route);
        out.put("deferrals", c.deferrals(campaign));
        out.put("recipients", statuses);
        out.put("attempts_by_outcome", outcomes);
        out.put("suppression", new SuppressionCheck(c.sql()).check(c.inv(), round, campaign, relay.received(), Set.of()));
        out.put("quota_ledger", c.quotaLedger(round, sender));
        return out;
    }

    /** A sender whose messages the relay refuses after DATA, by its envelope address. */
    private long refusedSender(String name) throws Exception {
        long sender = c.campaigns().sender(name, relay.port(), 1_000_000_000L, 2_000_000_000L);
        relay.faults().sender(c.api().sender(sender).get("from_email").asText()).rejectData(SPAM);
        return sender;
    }
}
