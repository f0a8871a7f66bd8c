package dev.mailroom.core.campaign;

/**
 * What recipients did after a message was sent: distinct recipients that bounced later, complained or
 * unsubscribed. Never part of a campaign's total; rates are fractions of what was sent (0 when nothing was).
 */
public record Reputation(int bounced, int complained, int unsubscribed) {
    public static final Reputation NONE = new Reputation(0, 0, 0);

    public double bounceRate(long sent) {
        return rate(bounced, sent);
    }

    public double complaintRate(long sent) {
        return rate(complained, sent);
    }

    public double unsubscribeRate(long sent) {
        return rate(unsubscribed, sent);
    }

    public static double rate(long count, long sent) {
        return sent <= 0 ? 0.0 : (double) count / sent;
    }
}
