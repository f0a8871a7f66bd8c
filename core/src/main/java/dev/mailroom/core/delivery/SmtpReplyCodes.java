package dev.mailroom.core.delivery;

/** What SMTP reply codes mean for us: one home for the rules. */
public final class SmtpReplyCodes {
    private SmtpReplyCodes() {}

    /** 550/551/553, or an enhanced 5.1.x status: the mailbox itself is refused (I13 suppresses it). */
    public static boolean isHardBounce(int code, String reply) {
        if (code < 500) return false;
        if (reply != null && reply.matches("(?s).*\\b5\\.1\\.\\d+\\b.*")) return true;
        return code == 550 || code == 551 || code == 553;
    }

    /**
     * Whether an attempt counts against its recipient's domain circuit: a 4xx, or a 5xx that is not about
     * one mailbox. A refused connection (code 0) is the relay's trouble, not the domain's.
     */
    public static boolean countsAgainstDomain(int code, String reply) {
        return (code >= 400 && code < 500) || (code >= 500 && !isHardBounce(code, reply));
    }
}
