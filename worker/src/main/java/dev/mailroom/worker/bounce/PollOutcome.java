package dev.mailroom.worker.bounce;

import dev.mailroom.core.bounce.MailboxCursor;

/**
 * What one poll of a bounce mailbox came to: counts only, so it can be logged (I14), and where the next
 * poll goes on from (null: nothing was read, the cursor stays).
 */
record PollOutcome(int read, int matched, int unmatched, int unreadable, MailboxCursor next) {}
