package dev.mailroom.core.error;

/** A lifecycle move the campaign's current status does not allow (HTTP 409). */
public final class InvalidTransition extends MailroomException {
    public final long campaignId;
    public final String currentStatus;

    public InvalidTransition(long campaignId, String currentStatus, String action) {
        super("cannot " + action + " campaign " + campaignId + " in status " + currentStatus);
        this.campaignId = campaignId;
        this.currentStatus = currentStatus;
    }
}
