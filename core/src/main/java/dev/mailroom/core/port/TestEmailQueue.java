package dev.mailroom.core.port;

import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.testemail.TestEmail;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The worker's side of test emails: served between batches, through the same quota (I1). */
public interface TestEmailQueue {
    List<TestEmail> due(long senderId, int limit, Instant now);

    /** Marks them sending with their Message-ID and an attempt row each, committed before SMTP; returns the ids marked. */
    Set<Long> markSending(long senderId, List<OutgoingMessage> messages, String workerId, Instant now);

    void record(long testEmailId, DeliveryOutcome outcome, long durationMs, Instant now);

    /** Ends a waiting test email as failed without sending it (suppressed address, attempts run out). */
    void fail(long testEmailId, String why, Instant now);

    /** Test emails left {@code sending} by a dead worker become {@code uncertain}; called under the sender lock. */
    int recoverStuck(long senderId);
}
