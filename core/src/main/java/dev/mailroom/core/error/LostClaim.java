package dev.mailroom.core.error;

/** I10: the worker's fencing token no longer matches; it must stop writing for this campaign. */
public final class LostClaim extends MailroomException {
    public LostClaim(long campaignId, long fence) {
        super("claim on campaign " + campaignId + " with fence " + fence + " is no longer held");
    }
}
