package dev.mailroom.worker.loop;

import dev.mailroom.core.delivery.ConnectionCheck;
import dev.mailroom.core.port.ConnectionTestQueue;
import dev.mailroom.core.port.MailTransport;
import dev.mailroom.core.sender.Sender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sender's waiting connection tests with its current settings: connect, EHLO, TLS and AUTH as set, QUIT.
 * No message, so no quota and no attempt row; the sender's relay backoff and waiting campaigns are left as they
 * are. Like test emails, served before claims and between batches, so a running campaign does not hold it back;
 * one per served sender (it remembers when it last looked), whether the sender is enabled or not.
 */
final class ServeConnectionTests {
    private static final Logger log = LoggerFactory.getLogger(ServeConnectionTests.class);
    private static final int PER_TURN = 5;
    /** Between every batch would cost a query per batch; once a second is soon enough for a person. */
    private static final Duration LOOK_EVERY = Duration.ofSeconds(1);

    private final ConnectionTestQueue queue;
    private final MailTransport transport;
    private final Clock clock;
    private final String workerId;
    private Instant lastLook;

    ServeConnectionTests(ConnectionTestQueue queue, MailTransport transport, Clock clock, String workerId) {
        this.queue = queue;
        this.transport = transport;
        this.clock = clock;
        this.workerId = workerId;
    }

    void serve(Sender sender) {
        Instant now = clock.instant();
        if (lastLook != null && now.isBefore(lastLook.plus(LOOK_EVERY)) && now.isAfter(lastLook)) return;
        lastLook = now;
        for (long test : queue.due(sender.id(), PER_TURN)) {
            ConnectionCheck result = transport.check(sender.smtp());
            queue.record(test, sender.id(), result, workerId, clock.instant());
            log.info("sender {}: connection test {} {}", sender.id(), test, result.ok() ? "passed" : "failed: " + result.fault().wire());
        }
    }
}
