package dev.mailroom.core.campaign;

/** The lifecycle moves a user can make through the API. */
public enum UserAction {
    QUEUE, PAUSE, RESUME, CANCEL, RETRY_UNCERTAIN;

    /** The status the campaign lands in (retry-uncertain re-queues a finished campaign). */
    public CampaignStatus target() {
        return switch (this) {
            case QUEUE, RESUME, RETRY_UNCERTAIN -> CampaignStatus.QUEUED;
            case PAUSE -> CampaignStatus.PAUSED;
            case CANCEL -> CampaignStatus.CANCELLED;
        };
    }
}
