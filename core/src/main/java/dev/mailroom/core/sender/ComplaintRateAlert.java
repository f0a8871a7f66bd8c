package dev.mailroom.core.sender;

import java.util.Map;

/**
 * The complaint rate over a sender's last seven days at which it is flagged
 * ({@code MAILROOM_COMPLAINT_RATE_ALERT}, a fraction; default 0.003, the 0.3 % mailbox providers hold
 * bulk senders to).
 */
public record ComplaintRateAlert(double threshold) {
    public static final String VARIABLE = "MAILROOM_COMPLAINT_RATE_ALERT";
    public static final ComplaintRateAlert DEFAULT = new ComplaintRateAlert(0.003);

    public ComplaintRateAlert {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException(VARIABLE + " must be a fraction above 0 and at most 1, like 0.003");
        }
    }

    public static ComplaintRateAlert fromEnvironment(Map<String, String> env) {
        String v = env.get(VARIABLE);
        if (v == null || v.isBlank()) return DEFAULT;
        try {
            return new ComplaintRateAlert(Double.parseDouble(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(VARIABLE + " must be a fraction above 0 and at most 1, like 0.003");
        }
    }

    /** At or above the threshold, once anything was sent and someone complained. */
    public boolean raisedBy(long complained, long sent) {
        return complained > 0 && sent > 0 && (double) complained / sent >= threshold;
    }
}
