package dev.mailroom.worker.bounce;

/** What one poll of a bounce mailbox came to: counts only, so it can be logged (I14). */
record PollOutcome(int read, int matched, int unmatched, int unreadable) {}
