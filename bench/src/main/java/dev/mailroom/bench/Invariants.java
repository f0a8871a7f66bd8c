package dev.mailroom.bench;

import dev.mailroom.testkit.ReceivedMail;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chaos run's verdict: what the sink received against what PostgreSQL says, for one campaign. Each
 * check is named after the invariant it guards (shared/DESIGN.md); a failing check carries examples.
 */
final class Invariants {
    /** One line of the table; a check that does not hold breaks the run (exit 1). */
    record Check(String name, boolean ok, String detail) {}

    private record Row(long id, String status, int attempts) {}

    private final Sql sql;
    private final List<Check> checks = new ArrayList<>();

    Invariants(Sql sql) {
        this.sql = sql;
    }

    List<Check> checks() {
        return checks;
    }

    boolean allHold() {
        return checks.stream().allMatch(Check::ok);
    }

    /** Duplicates, sink against rows, fault classes, counters, final status, nothing stuck. */
    Map<String, Object> checkCampaign(long campaign, List<ReceivedMail> sink) {
        Map<String, Row> rows = new HashMap<>();
        for (var r : sql.rows("select id, email, status, attempts from campaign_recipient where campaign_id = ?", campaign)) {
            rows.put(((String) r.get("email")).toLowerCase(), new Row(((Number) r.get("id")).longValue(),
                    (String) r.get("status"), ((Number) r.get("attempts")).intValue()));
        }
        Map<String, Integer> atSink = new HashMap<>();
        for (ReceivedMail m : sink) {
            String to = m.recipient().toLowerCase();
            if (rows.containsKey(to)) atSink.merge(to, 1, Integer::sum);
        }
        List<String> dupes = atSink.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        add("I7 no duplicates at the sink", dupes.isEmpty(), dupes.size() + " recipients received more than once" + examples(dupes));

        List<String> sentMissing = rows.entrySet().stream().filter(e -> e.getValue().status().equals("sent"))
                .filter(e -> !atSink.containsKey(e.getKey())).map(Map.Entry::getKey).toList();
        add("every sent recipient is at the sink", sentMissing.isEmpty(), sentMissing.size() + " sent but never received" + examples(sentMissing));
        List<String> badAtSink = atSink.keySet().stream()
                .filter(e -> !Set.of("sent", "uncertain").contains(rows.get(e).status())).toList();
        add("every recipient at the sink is sent or uncertain", badAtSink.isEmpty(),
                badAtSink.size() + " received but recorded otherwise" + examples(badAtSink));

        Map<String, Map<String, Integer>> byKind = new LinkedHashMap<>();
        rows.forEach((email, r) -> byKind.computeIfAbsent(RecordingSink.kind(email), k -> new java.util.TreeMap<>())
                .merge(r.status(), 1, Integer::sum));
        List<String> tempBad = rows.entrySet().stream().filter(e -> RecordingSink.kind(e.getKey()).equals("tempfail"))
                .filter(e -> !Set.of("sent", "uncertain").contains(e.getValue().status())).map(Map.Entry::getKey).toList();
        long tempRetried = rows.entrySet().stream().filter(e -> RecordingSink.kind(e.getKey()).equals("tempfail"))
                .filter(e -> e.getValue().status().equals("sent") && e.getValue().attempts() >= 2).count();
        add("4xx-then-accepted recipients end sent (uncertain if a fault cut them)", tempBad.isEmpty(),
                tempRetried + " sent after a 4xx; " + tempBad.size() + " otherwise" + examples(tempBad));
        List<String> hardBad = rows.entrySet().stream().filter(e -> RecordingSink.kind(e.getKey()).equals("hardfail"))
                .filter(e -> !Set.of("failed", "uncertain", "suppressed").contains(e.getValue().status()) || atSink.containsKey(e.getKey()))
                .map(Map.Entry::getKey).toList();
        add("5xx recipients end failed (suppressed if refused before) and never reach the sink", hardBad.isEmpty(),
                hardBad.size() + " otherwise" + examples(hardBad));
        List<String> dropBad = rows.entrySet().stream().filter(e -> RecordingSink.kind(e.getKey()).equals("drop"))
                .filter(e -> !e.getValue().status().equals("uncertain")).map(Map.Entry::getKey).toList();
        long dropAtSink = rows.keySet().stream().filter(e -> RecordingSink.kind(e).equals("drop") && atSink.containsKey(e)).count();
        add("dropped-after-DATA recipients are uncertain", dropBad.isEmpty(),
                dropAtSink + " at the sink; " + dropBad.size() + " not uncertain" + examples(dropBad));

        countersAndStatus(campaign);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("recipients", rows.size());
        out.put("received_at_sink", atSink.size());
        out.put("status_by_address_kind", byKind);
        return out;
    }

    private void countersAndStatus(long campaign) {
        Map<String, Object> c = sql.row("select c.total, c.pending, c.sending, c.sent, c.failed, c.uncertain, c.suppressed, "
                + "q.status from campaign c join campaign_queue q on q.campaign_id = c.id where c.id = ?", campaign);
        Map<String, Long> actual = new HashMap<>();
        for (var r : sql.rows("select status, count(*) as n from campaign_recipient where campaign_id = ? group by status", campaign)) {
            actual.put((String) r.get("status"), ((Number) r.get("n")).longValue());
        }
        List<String> drift = new ArrayList<>();
        long total = 0;
        for (String s : List.of("pending", "sending", "sent", "failed", "uncertain", "suppressed")) {
            long counter = ((Number) c.get(s)).longValue();
            long rows = actual.getOrDefault(s, 0L);
            total += rows;
            if (counter != rows) drift.add(s + " counter " + counter + " vs " + rows + " rows");
        }
        if (((Number) c.get("total")).longValue() != total) drift.add("total " + c.get("total") + " vs " + total + " rows");
        add("I9 counters equal the recipient rows", drift.isEmpty(), drift.isEmpty() ? "all six counters and total match" : String.join("; ", drift));

        boolean clean = actual.getOrDefault("failed", 0L) == 0 && actual.getOrDefault("uncertain", 0L) == 0;
        String expected = clean ? "sent" : "completed_with_errors";
        add("I8 final status honest", expected.equals(c.get("status")), "status " + c.get("status") + ", expected " + expected
                + " (" + actual.getOrDefault("failed", 0L) + " failed, " + actual.getOrDefault("uncertain", 0L) + " uncertain)");

        long processing = sql.one("select count(*) from campaign_queue where status = 'processing'");
        long sending = actual.getOrDefault("sending", 0L) + actual.getOrDefault("pending", 0L);
        long attempts = sql.one("select count(*) from delivery_attempt where campaign_id = ? and outcome = 'sending'", campaign);
        add("no stuck processing row, sending recipient or open attempt", processing == 0 && sending == 0 && attempts == 0,
                processing + " processing queue rows, " + sending + " recipients pending/sending, " + attempts + " attempts still 'sending'");
    }

    /**
     * I5: in every clock hour, at most {@code limit} messages of the sender reached the sink, and kept
     * their quota (I17: refused attempts gave it back, so they are not counted).
     */
    Map<String, Object> checkHourlyQuota(long campaign, long sender, int limit, List<ReceivedMail> sink, long[] arrivals) {
        Set<String> ours = new java.util.HashSet<>();
        for (var r : sql.rows("select email from campaign_recipient where campaign_id = ?", campaign)) {
            ours.add(((String) r.get("email")).toLowerCase());
        }
        Map<Long, Integer> perHour = new java.util.TreeMap<>();
        for (int i = 0; i < sink.size() && i < arrivals.length; i++) {
            if (ours.contains(sink.get(i).recipient().toLowerCase())) perHour.merge(arrivals[i] / 3_600_000L, 1, Integer::sum);
        }
        Map<Long, Integer> attempted = new java.util.TreeMap<>();
        for (var r : sql.rows("select (extract(epoch from attempted_at)::int8 / 3600) as h, count(*) as n from delivery_attempt "
                + "where sender_id = ? and outcome in ('sending', 'sent', 'uncertain') group by 1", sender)) {
            attempted.put(((Number) r.get("h")).longValue(), ((Number) r.get("n")).intValue());
        }
        boolean ok = perHour.values().stream().allMatch(n -> n <= limit) && attempted.values().stream().allMatch(n -> n <= limit);
        add("I5 hourly quota never exceeded at the sink", ok, "limit " + limit + "/h; received per hour " + perHour.values()
                + ", attempted per hour " + attempted.values());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hourly_limit", limit);
        out.put("received_per_hour", perHour.values());
        out.put("attempted_per_hour", attempted.values());
        out.put("campaign", sql.row("select q.status, q.defer_reason, c.sent, c.pending, c.failed, c.uncertain from campaign c "
                + "join campaign_queue q on q.campaign_id = c.id where c.id = ?", campaign));
        return out;
    }

    void add(String name, boolean ok, String detail) {
        checks.add(new Check(name, ok, detail));
    }

    private static String examples(List<String> items) {
        return items.isEmpty() ? "" : ", e.g. " + items.stream().limit(5).toList();
    }
}
