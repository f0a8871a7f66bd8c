package dev.mailroom.testkit;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The faults a test scripted, per recipient or sender address or address pattern. The first matching rule
 * with attempts left wins; "times" counts per address, so one pattern can fail each matching address N
 * times. Rules may be added or dropped while clients are connected: they apply from the next command.
 */
public final class SmtpFaults {
    enum Kind {
        REJECT_RCPT(false), TEMPFAIL_RCPT(false), DROP_AFTER_DATA(false), REJECT_DATA_TO(false),
        REJECT_MAIL(true), REJECT_DATA_FROM(true);

        final boolean bySender;

        Kind(boolean bySender) {
            this.bySender = bySender;
        }
    }

    record Rule(Pattern address, Kind kind, String reply, int times, Map<String, AtomicInteger> used) {
        boolean fires(String addr, Kind k) {
            if (k != kind || !address.matcher(addr).matches()) return false;
            return used.computeIfAbsent(addr.toLowerCase(), a -> new AtomicInteger()).getAndIncrement() < times;
        }
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();

    /** Faults for one exact recipient address (case-insensitive). */
    public Target recipient(String address) {
        return new Target(exactly(address));
    }

    /** Faults for every recipient address the regex matches as a whole, e.g. {@code "r1\\d@example\\.org"}. */
    public Target recipientsMatching(String regex) {
        return new Target(Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
    }

    /** Faults for one exact envelope sender (MAIL FROM, case-insensitive): what a relay thinks of us. */
    public SenderTarget sender(String address) {
        return new SenderTarget(exactly(address));
    }

    /** Faults for every envelope sender the regex matches as a whole, e.g. {@code ".*@example\\.com"}. */
    public SenderTarget sendersMatching(String regex) {
        return new SenderTarget(Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
    }

    /** Faults for every envelope sender, the null sender {@code <>} included: a relay-wide refusal. */
    public SenderTarget anySender() {
        return new SenderTarget(Pattern.compile(".*", Pattern.DOTALL));
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

    /** The reply to send instead of 250 at MAIL FROM, if a rule fires for this attempt. */
    Optional<String> atMail(String sender) {
        for (Rule r : rules) {
            if (r.fires(sender, Kind.REJECT_MAIL)) return Optional.of(r.reply());
        }
        return Optional.empty();
    }

    /**
     * The reply to send instead of 250 after the DATA terminator, if a rule for the sender or any of the
     * recipients fires. Every recipient's rule is asked, so each one counts the message it refused.
     */
    Optional<String> afterData(String sender, List<String> recipients) {
        String reply = null;
        for (Rule r : rules) {
            if (r.fires(sender, Kind.REJECT_DATA_FROM)) {
                reply = r.reply();
                break;
            }
        }
        for (String to : recipients) {
            for (Rule r : rules) {
                if (r.fires(to, Kind.REJECT_DATA_TO)) {
                    if (reply == null) reply = r.reply();
                    break;
                }
            }
        }
        return Optional.ofNullable(reply);
    }

    boolean dropAfterData(List<String> recipients) {
        boolean drop = false;
        for (String to : recipients) {
            drop |= rules.stream().anyMatch(r -> r.fires(to, Kind.DROP_AFTER_DATA));
        }
        return drop;
    }

    private void add(Pattern address, Kind kind, String reply, int times) {
        rules.add(new Rule(address, kind, reply, times, new ConcurrentHashMap<>()));
    }

    /** Drops the rules scripted for this address or regex on this side (sender or recipient). */
    private void remove(Pattern address, boolean bySender) {
        rules.removeIf(r -> r.kind().bySender == bySender && r.address().pattern().equals(address.pattern())
                && r.address().flags() == address.flags());
    }

    private static Pattern exactly(String address) {
        return Pattern.compile(Pattern.quote(address), Pattern.CASE_INSENSITIVE);
    }

    public final class Target {
        private final Pattern address;

        private Target(Pattern address) {
            this.address = address;
        }

        /** A permanent refusal at RCPT, e.g. {@code "550 5.1.1 no such user"}. */
        public void rejectRcpt(String reply) {
            add(address, Kind.REJECT_RCPT, reply, Integer.MAX_VALUE);
        }

        /** A transient refusal at RCPT for the first {@code times} attempts, then accepted. */
        public void tempFailRcpt(String reply, int times) {
            add(address, Kind.TEMPFAIL_RCPT, reply, times);
        }

        /** Close the connection after the DATA terminator without replying: an ambiguous delivery. */
        public void dropAfterData() {
            dropAfterData(Integer.MAX_VALUE);
        }

        public void dropAfterData(int times) {
            add(address, Kind.DROP_AFTER_DATA, null, times);
        }

        /**
         * Refuse every message to this address after its DATA terminator, e.g. {@code "552 5.3.4 Message size
         * exceeds fixed limit"}. A refused message is not recorded as received: the server did not take it.
         */
        public void rejectData(String reply) {
            rejectData(reply, Integer.MAX_VALUE);
        }

        /** As {@link #rejectData(String)} for the first {@code times} messages to this address, then accepted. */
        public void rejectData(String reply, int times) {
            add(address, Kind.REJECT_DATA_TO, reply, times);
        }

        /** Forgets every fault scripted for this address or regex as a recipient. */
        public void recover() {
            remove(address, false);
        }
    }

    /** Faults decided by the envelope sender: refusals that are about us, not about a mailbox. */
    public final class SenderTarget {
        private final Pattern address;

        private SenderTarget(Pattern address) {
            this.address = address;
        }

        /** Refuse MAIL FROM, e.g. {@code "550 5.7.1 Sender address rejected: not owned by user"}. */
        public void rejectMail(String reply) {
            rejectMail(reply, Integer.MAX_VALUE);
        }

        /** As {@link #rejectMail(String)} for the first {@code times} transactions per sender address. */
        public void rejectMail(String reply, int times) {
            add(address, Kind.REJECT_MAIL, reply, times);
        }

        /**
         * Refuse the message after its DATA terminator, e.g. {@code "554 5.7.1 Message rejected as spam"} or
         * {@code "451 4.7.1 try later"}. A refused message is not recorded as received.
         */
        public void rejectData(String reply) {
            rejectData(reply, Integer.MAX_VALUE);
        }

        /** As {@link #rejectData(String)} for the first {@code times} messages per sender address. */
        public void rejectData(String reply, int times) {
            add(address, Kind.REJECT_DATA_FROM, reply, times);
        }

        /** Forgets every fault scripted for this address or regex as a sender. */
        public void recover() {
            remove(address, true);
        }
    }
}
