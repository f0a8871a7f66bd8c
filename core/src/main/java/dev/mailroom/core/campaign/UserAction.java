package dev.mailroom.core.campaign;

/** The lifecycle moves a user can make through the API. */
public enum UserAction {
    QUEUE, PAUSE, RESUME, CANCEL, RETRY_UNCERTAIN,
    /** Recipients failed for a reason other than their mailbox → pending (policy refusals, retries run out). */
    RETRY_FAILED;

    /** The status the campaign lands in (a retry re-queues a finished campaign). */
    public CampaignStatus target() {
        return switch (this) {
            case QUEUE, RESUME, RETRY_UNCERTAIN, RETRY_FAILED -> CampaignStatus.QUEUED;
            case PAUSE -> CampaignStatus.PAUSED;
            case CANCEL -> CampaignStatus.CANCELLED;
        };
    }
}
