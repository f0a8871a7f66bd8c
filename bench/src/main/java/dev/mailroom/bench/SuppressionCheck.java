package dev.mailroom.bench;

import dev.mailroom.testkit.ReceivedMail;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * I13/I15 for one campaign: the sink refuses every {@link RecordingSink#HARDFAIL} address with
 * {@code 550 5.1.1 no such user} at RCPT, a mailbox refusal. Each such recipient recorded {@code failed}
 * must be on the suppression list (reason hard_bounce); one left {@code uncertain} (a fault cut its
 * attempt before the refusal was recorded) may not be. No other address of the campaign may be
 * suppressed — a 4xx, a dropped connection or an accepted message never suppresses — and none the sink
 * accepted. A recipient already suppressed when the campaign started must end {@code suppressed} and
 * never be attempted (I13: suppressed addresses are never sent).
 */
final class SuppressionCheck {
    private final Sql sql;

    SuppressionCheck(Sql sql) {
        this.sql = sql;
    }

    /** @param before addresses the harness knows were suppressed before this campaign was queued */
    Map<String, Object> check(Invariants inv, String round, long campaign, List<ReceivedMail> sink, Set<String> before) {
        Set<String> accepted = new HashSet<>();
        for (ReceivedMail m : sink) accepted.add(m.recipient().toLowerCase());
        List<String> refusedNotSuppressed = new ArrayList<>();
        List<String> wronglySuppressed = new ArrayList<>();
        List<String> beforeButSent = new ArrayList<>();
        int refused = 0;
        int suppressed = 0;
        int cut = 0;
        int beforeHere = 0;
        for (var r : sql.rows("select lower(r.email) as email, r.status, s.reason, "
                + "(select count(*) from delivery_attempt a where a.recipient_id = r.id) as attempts "
                + "from campaign_recipient r left join suppression s on lower(s.email) = lower(r.email) "
                + "where r.campaign_id = ?", campaign)) {
            String email = (String) r.get("email");
            String status = (String) r.get("status");
            boolean isSuppressed = r.get("reason") != null;
            boolean hard = RecordingSink.kind(email).equals("hardfail");
            if (isSuppressed) suppressed++;
            if (before.contains(email)) {
                beforeHere++;
                if (!status.equals("suppressed") || ((Number) r.get("attempts")).longValue() > 0) beforeButSent.add(email);
                continue;
            }
            if (hard && status.equals("failed")) {
                refused++;
                if (!"hard_bounce".equals(r.get("reason"))) refusedNotSuppressed.add(email);
            } else if (hard && status.equals("uncertain")) {
                cut++;
            }
            if (isSuppressed && (!hard || accepted.contains(email))) wronglySuppressed.add(email);
        }
        inv.add("I13 mailbox refusals suppressed, nothing else (" + round + ")",
                refusedNotSuppressed.isEmpty() && wronglySuppressed.isEmpty() && beforeButSent.isEmpty(),
                refused + " refused (550 5.1.1) and failed: " + (refused - refusedNotSuppressed.size()) + " suppressed"
                        + (cut > 0 ? ", " + cut + " cut by a fault (uncertain, not required)" : "")
                        + "; " + wronglySuppressed.size() + " suppressed without a refusal"
                        + (beforeHere == 0 ? "" : "; " + (beforeHere - beforeButSent.size()) + " of " + beforeHere
                        + " suppressed beforehand skipped unsent")
                        + examples("not suppressed", refusedNotSuppressed) + examples("wrongly suppressed", wronglySuppressed)
                        + examples("sent although suppressed", beforeButSent));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("refused_failed", refused);
        out.put("refused_not_suppressed", refusedNotSuppressed.size());
        out.put("refused_cut_by_fault", cut);
        out.put("suppressed_without_refusal", wronglySuppressed.size());
        out.put("suppressed_beforehand", beforeHere);
        out.put("suppressed_beforehand_but_attempted", beforeButSent.size());
        out.put("suppressed_in_campaign", suppressed);
        return out;
    }

    private static String examples(String what, List<String> items) {
        return items.isEmpty() ? "" : "; " + what + ", e.g. " + items.stream().limit(3).toList();
    }
}
