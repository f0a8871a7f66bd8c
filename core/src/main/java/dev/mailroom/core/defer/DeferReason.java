package dev.mailroom.core.defer;

/** Why a campaign or test email is waiting; the wire names are part of the API. */
public enum DeferReason {
    OUTSIDE_HOURS, RATE_HOUR, QUOTA_MONTH, TRANSIENT_ERROR, CIRCUIT_OPEN, SMTP_DISABLED, PAUSED_BY_USER, SCHEDULED,
    /** The relay refuses our credentials (530/534/535). */
    SMTP_AUTH,
    /** The relay refuses our sender (5xx at MAIL FROM, or a reply naming the sender). */
    SENDER_REFUSED;

    public String wire() {
        return name().toLowerCase();
    }

    public static DeferReason fromWire(String s) {
        return valueOf(s.toUpperCase());
    }
}
