package dev.mailroom.core.port;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.defer.Wait;
import java.time.Instant;
import java.util.Optional;

/** Writes a deferral with its reason and time; only DeferService calls it (I3). */
public interface DeferralStore {
    /**
     * Defers the claimed campaign and releases the claim. Returns true when this (campaign, reason, until)
     * was not recorded before, i.e. when it deserves a notification.
     */
    boolean deferCampaign(Claim claim, DeferReason reason, Instant until, Instant now);

    void deferTestEmail(long testEmailId, DeferReason reason, Instant until, String lastError);

    /**
     * Every move to queued re-applies a future {@code send_at} ({@link dev.mailroom.core.defer.Schedule}): a
     * queued or deferred campaign whose send_at is after {@code now} becomes deferred, reason scheduled, until
     * then. Runs inside the transaction of the move when called with that transaction's store, so no worker
     * ever sees the campaign ready before its time.
     *
     * @return the wait applied, or empty when send_at is unset or not in the future
     */
    Optional<Wait> holdUntilSendAt(long campaignId, Instant now);
}
