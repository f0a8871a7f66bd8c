package dev.mailroom.testkit;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How {@link FaultySmtpServer} answers AUTH. Out of the box it takes any credentials, because most tests are
 * not about them; a test can name the only credentials it takes, refuse every attempt for a while (a relay
 * whose password was rotated, then fixed), and require AUTH before MAIL. Every setting may change while
 * clients are connected and applies from their next command, so a test can script an outage and a recovery.
 */
public final class SmtpAuth {
    /** What a relay says to a wrong user name or password. */
    public static final String INVALID_CREDENTIALS = "535 5.7.8 Authentication credentials invalid";
    /** What a relay that requires AUTH says to a MAIL FROM sent without it. */
    public static final String AUTH_REQUIRED = "530 5.7.0 Authentication required";

    private record Credentials(String username, String password) {}

    private record Refusal(String reply, AtomicInteger left) {}

    private volatile boolean required;
    private volatile Credentials only;
    private volatile Refusal refusal;

    SmtpAuth() {}

    /** While on, MAIL FROM before a successful AUTH is answered {@value #AUTH_REQUIRED}. */
    public SmtpAuth require(boolean on) {
        required = on;
        return this;
    }

    /** Takes only this user name and password (exactly); anything else is {@value #INVALID_CREDENTIALS}. */
    public SmtpAuth accept(String username, String password) {
        only = new Credentials(username, password);
        return this;
    }

    /** Takes any credentials again (the default). */
    public SmtpAuth acceptAny() {
        only = null;
        return this;
    }

    /** Refuses every AUTH with {@value #INVALID_CREDENTIALS}, right credentials included, until {@link #recover()}. */
    public SmtpAuth refuse() {
        return refuse(INVALID_CREDENTIALS);
    }

    /** Refuses every AUTH with this reply (e.g. {@code "454 4.7.0 Temporary authentication failure"}). */
    public SmtpAuth refuse(String reply) {
        return refuse(reply, Integer.MAX_VALUE);
    }

    /** Refuses the next {@code times} AUTH attempts, whoever makes them, then answers as before. */
    public SmtpAuth refuse(String reply, int times) {
        refusal = new Refusal(reply, new AtomicInteger(times));
        return this;
    }

    /** Stops refusing: the credentials decide again. */
    public SmtpAuth recover() {
        refusal = null;
        return this;
    }

    public boolean required() {
        return required;
    }

    void reset() {
        required = false;
        only = null;
        refusal = null;
    }

    /** The refusal for this attempt, or null when it succeeds. */
    String refusalFor(String username, String password) {
        Refusal r = refusal;
        if (r != null && r.left().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) return r.reply();
        Credentials c = only;
        if (c != null && !c.equals(new Credentials(username, password))) return INVALID_CREDENTIALS;
        return null;
    }
}
