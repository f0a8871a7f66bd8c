package dev.mailroom.web.auth;

import java.time.Duration;

/**
 * @param failureLimit failed authentications one client address may make per window before it gets 429s
 *                     (MAILROOM_AUTH_FAILURE_LIMIT)
 * @param failureWindow the window those failures are counted in (MAILROOM_AUTH_FAILURE_WINDOW_SECONDS)
 * @param cacheTtl how long a key lookup is trusted without a revocation message; the bound on how long a
 *                 revoked key still works in a process that lost its Redis subscription
 */
public record AuthSettings(int failureLimit, Duration failureWindow, Duration cacheTtl) {
    public static final int DEFAULT_FAILURE_LIMIT = 20;
    public static final Duration DEFAULT_FAILURE_WINDOW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);
    public static final AuthSettings DEFAULT = new AuthSettings(DEFAULT_FAILURE_LIMIT, DEFAULT_FAILURE_WINDOW,
            DEFAULT_CACHE_TTL);

    public AuthSettings {
        if (failureLimit < 1) throw new IllegalArgumentException("MAILROOM_AUTH_FAILURE_LIMIT must be at least 1");
        if (failureWindow.toSeconds() < 1) {
            throw new IllegalArgumentException("MAILROOM_AUTH_FAILURE_WINDOW_SECONDS must be at least 1");
        }
        if (cacheTtl.isNegative()) throw new IllegalArgumentException("the key cache TTL must not be negative");
    }
}
