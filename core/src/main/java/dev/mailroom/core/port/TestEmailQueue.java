package dev.mailroom.core.port;

import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.testemail.TestEmail;
import java.time.Instant;
import java.util.List;

/** The worker's side of test emails: served between batches, through the same quota (I1). */
public interface TestEmailQueue {
    List<TestEmail> due(long senderId, int limit, Instant now);

    /** Marks them sending with an attempt row each, committed before SMTP; returns those marked. */
    List<TestEmail> markSending(long senderId, List<TestEmail> emails, String fromDomain, String workerId, Instant now);

    void record(long testEmailId, DeliveryOutcome outcome, long durationMs, Instant now);

    /** Test emails left {@code sending} by a dead worker become {@code uncertain}; called under the sender lock. */
    int recoverStuck(long senderId);
}
