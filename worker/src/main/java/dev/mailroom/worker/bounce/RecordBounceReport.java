package dev.mailroom.worker.bounce;

import dev.mailroom.core.bounce.BounceReport;
import dev.mailroom.core.bounce.BounceType;
import dev.mailroom.core.bounce.LaterBounce;
import dev.mailroom.core.secret.RecipientTokens.Addressee;
import dev.mailroom.core.secret.VerpAddress;
import dev.mailroom.db.postgres.JooqBounceStore;
import java.util.Comparator;
import java.util.Optional;

/**
 * Records what one mailbox report says and tells whether it matched a message we sent (then it may be
 * moved out of the way). The VERP address it was sent to names the recipient when its signed token
 * verifies; otherwise the store matches the original Message-ID and address.
 */
final class RecordBounceReport {
    /** A report names one message of ours, so one bounce is recorded: a failure before a delay. */
    private static final Comparator<LaterBounce> MOST_SEVERE_FIRST =
            Comparator.comparing((LaterBounce b) -> b.type() == BounceType.SOFT);

    private final JooqBounceStore store;
    private final VerpAddress verp;

    RecordBounceReport(JooqBounceStore store, VerpAddress verp) {
        this.store = store;
        this.verp = verp;
    }

    /** True when the report matched a message of ours and is recorded (now, or on an earlier read). */
    boolean record(long senderId, BounceReport report) {
        Optional<LaterBounce> bounce = report.bounces().stream().min(MOST_SEVERE_FIRST);
        if (bounce.isEmpty()) return false;
        Addressee addressee = report.returnAddresses().stream().map(verp::parse).flatMap(Optional::stream)
                .findFirst().orElse(null);
        var recorded = store.record(JooqBounceStore.Origin.mailbox(senderId, report.reportId()), bounce.get(), addressee,
                report.originalMessageId());
        return recorded.matched();
    }
}
