package dev.mailroom.testkit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The faults a test scripted, per recipient address or address pattern. The first matching rule with
 * attempts left wins; "times" counts per address, so one pattern can fail each matching address N times.
 */
public final class SmtpFaults {
    enum Kind { REJECT_RCPT, TEMPFAIL_RCPT, DROP_AFTER_DATA }

    record Rule(Pattern address, Kind kind, String reply, int times, Map<String, AtomicInteger> used) {
        boolean fires(String recipient, Kind k) {
            if (k != kind || !address.matcher(recipient).matches()) return false;
            return used.computeIfAbsent(recipient.toLowerCase(), a -> new AtomicInteger()).getAndIncrement() < times;
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    /** Faults for one exact address (case-insensitive). */
    public Target recipient(String address) {
        return new Target(Pattern.compile(Pattern.quote(address), Pattern.CASE_INSENSITIVE));
    }

    /** Faults for every address the regex matches as a whole, e.g. {@code "r1\\d@example\\.org"}. */
    public Target recipientsMatching(String regex) {
        return new Target(Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
    }

    public void clear() {
        rules.clear();
    }

    /** The reply to send instead of 250 at RCPT, if a rule fires for this attempt. */
    Optional<String> atRcpt(String recipient) {
        for (Rule r : rules) {
            if (r.fires(recipient, Kind.REJECT_RCPT) || r.fires(recipient, Kind.TEMPFAIL_RCPT)) return Optional.of(r.reply());
        }
        return Optional.empty();
    }

    boolean dropAfterData(List<String> recipients) {
        boolean drop = false;
        for (String to : recipients) {
            drop |= rules.stream().anyMatch(r -> r.fires(to, Kind.DROP_AFTER_DATA));
        }
        return drop;
    }

    public final class Target {
        private final Pattern address;

        private Target(Pattern address) {
            this.address = address;
        }

        /** A permanent refusal at RCPT, e.g. {@code "550 5.1.1 no such user"}. */
        public void rejectRcpt(String reply) {
            add(Kind.REJECT_RCPT, reply, Integer.MAX_VALUE);
        }

        /** A transient refusal at RCPT for the first {@code times} attempts, then accepted. */
        public void tempFailRcpt(String reply, int times) {
            add(Kind.TEMPFAIL_RCPT, reply, times);
        }

        /** Close the connection after the DATA terminator without replying: an ambiguous delivery. */
        public void dropAfterData() {
            dropAfterData(Integer.MAX_VALUE);
        }

        public void dropAfterData(int times) {
            add(Kind.DROP_AFTER_DATA, null, times);
        }

        private void add(Kind kind, String reply, int times) {
            rules.add(new Rule(address, kind, reply, times, new ConcurrentHashMap<>()));
        }
    }
}
