package dev.mailroom.core.campaign;

import java.util.EnumSet;
import java.util.Set;

/** A campaign's one status (kept on its campaign_queue row) and the moves a user may make from it. */
public enum CampaignStatus {
    DRAFT, QUEUED, PROCESSING, DEFERRED, PAUSED, CANCELLED, SENT, COMPLETED_WITH_ERRORS;

    public static final Set<CampaignStatus> FINAL = EnumSet.of(CANCELLED, SENT, COMPLETED_WITH_ERRORS);
    public static final Set<CampaignStatus> PAUSABLE = EnumSet.of(QUEUED, PROCESSING, DEFERRED);

    public boolean isFinal() {
        return FINAL.contains(this);
    }

    /** Statuses from which the user action may start. */
    public static Set<CampaignStatus> allowedFrom(UserAction action) {
        return switch (action) {
            case QUEUE -> EnumSet.of(DRAFT);
            case PAUSE -> PAUSABLE;
            case RESUME -> EnumSet.of(PAUSED);
            case CANCEL -> EnumSet.complementOf(EnumSet.copyOf(FINAL));
            case RETRY_UNCERTAIN -> EnumSet.allOf(CampaignStatus.class);
            // A finished campaign is queued again; a paused one takes the rows back when resumed.
            case RETRY_FAILED -> EnumSet.of(SENT, COMPLETED_WITH_ERRORS, PAUSED);
        };
    }

    public String wire() {
        return name().toLowerCase();
    }

    public static CampaignStatus fromWire(String s) {
        return valueOf(s.toUpperCase());
    }
}
