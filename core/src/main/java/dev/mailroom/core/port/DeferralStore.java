package dev.mailroom.core.port;

import dev.mailroom.core.defer.DeferReason;
import java.time.Instant;

/** Writes a deferral with its reason and time; only DeferService calls it (I3). */
public interface DeferralStore {
    /**
     * Defers the claimed campaign and releases the claim. Returns true when this (campaign, reason, until)
     * was not recorded before, i.e. when it deserves a notification.
     */
    boolean deferCampaign(Claim claim, DeferReason reason, Instant until, Instant now);

    void deferTestEmail(long testEmailId, DeferReason reason, Instant until, String lastError);
}
