package dev.mailroom.worker.loop;

import dev.mailroom.core.sender.Sender;

/**
 * What a served sender gets before each claim and between batches, so a running campaign holds none of it
 * back: its connection tests, then its test emails. One per served sender (each remembers when it last looked).
 */
record BetweenBatches(ServeConnectionTests connectionTests, ServeTestEmails testEmails) {
    void serve(Sender sender, SmtpLanes lanes) {
        connectionTests.serve(sender);
        testEmails.serve(sender, lanes);
    }
}
