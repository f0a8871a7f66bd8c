package dev.mailroom.core.delivery;

/** Deterministic Message-IDs: the same recipient always gets the same one, so a receiver can de-duplicate. */
public final class MessageIds {
    private MessageIds() {}

    public static String forRecipient(long campaignId, long recipientId, String fromDomain) {
        return "<mr." + campaignId + "." + recipientId + "@" + fromDomain + ">";
    }

    public static String forTestEmail(long testEmailId, String fromDomain) {
        return "<mr.test." + testEmailId + "@" + fromDomain + ">";
    }
}
