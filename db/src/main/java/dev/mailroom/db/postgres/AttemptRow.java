package dev.mailroom.db.postgres;

import java.time.Instant;
import java.util.List;

/**
 * One SMTP attempt of a recipient (delivery_attempt). {@code counted} is false for an attempt the recipient had
 * no part in — never handed to SMTP, or the relay refused us (its {@code fault} says how) — which its
 * {@code attempts} does not count: the timeline shows it, and the count and the timeline agree.
 */
public record AttemptRow(int attemptNo, String outcome, boolean counted, Integer smtpCode, String reply, String fault,
                         Integer durationMs, String workerId, Instant attemptedAt) {

    /** Outcomes whose attempt is given back to the recipient ({@link SettleBatchSql}). */
    static final List<String> NOT_COUNTED = List.of("not_sent", "unreachable", "auth_refused", "sender_refused");

    static boolean counts(String outcome) {
        return !NOT_COUNTED.contains(outcome);
    }
}
