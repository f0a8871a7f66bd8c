package dev.mailroom.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The round with relays that answer back (I13, I15, I16, I17), after the others, against two relays of
 * its own (more of testkit's FaultySmtpServers in the harness), one sender per role:
 * <ol>
 *   <li>a relay refuses AUTH for an outage, then takes a rotated password ({@link AuthOutagePhase});</li>
 *   <li>a relay refuses one sender's messages by policy ({@link PolicyRefusalPhase#alone});</li>
 *   <li>the same relay refuses sender A by policy while sender B mails the same domain through it
 *       ({@link PolicyRefusalPhase#besideHealthySender}).</li>
 * </ol>
 * No process fault: the reconciler must repair nothing meanwhile.
 */
final class RelayRound {
    private static final Logger log = LoggerFactory.getLogger(RelayRound.class);

    private interface Phase {
        Map<String, Object> run() throws Exception;
    }

    private final RelayContext c;

    RelayRound(CampaignFactory campaigns, Sql sql, HarnessEnv env, Invariants invariants, int timeoutSeconds) {
        this.c = new RelayContext(campaigns, sql, env, invariants, timeoutSeconds);
    }

    /** @param rotatedPassword the password the AUTH relay takes after its outage (the log scan looks for it too) */
    Map<String, Object> run(int authOutageSeconds, String rotatedPassword) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        try (RecordingSink authRelay = new RecordingSink(); RecordingSink policyRelay = new RecordingSink()) {
            out.put("auth_outage", timed("AUTH outage",
                    () -> new AuthOutagePhase(c, rotatedPassword).run(authRelay, authOutageSeconds)));
            PolicyRefusalPhase policy = new PolicyRefusalPhase(c, policyRelay);
            out.put("policy_refusal", timed("policy refusal", policy::alone));
            out.put("shared_domain", timed("two senders, one domain", policy::besideHealthySender));
            out.put("relay_logins", Map.of("auth_relay", authRelay.logins(), "policy_relay", policyRelay.logins()));
        }
        return out;
    }

    private static Map<String, Object> timed(String name, Phase phase) throws Exception {
        long start = System.nanoTime();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seconds", null); // first in the JSON
        out.putAll(phase.run());
        double seconds = Percentiles.round((System.nanoTime() - start) / 1e9);
        out.put("seconds", seconds);
        log.info("relay round: phase \"{}\" took {} s", name, seconds);
        return out;
    }
}
