package dev.mailroom.web.auth;

import dev.mailroom.db.redis.RedisAuthFailures;
import dev.mailroom.web.error.HttpFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed authentications per client address (the TCP peer; behind a proxy, the proxy), counted in Redis in
 * one atomic round trip: past {@link AuthSettings#failureLimit()} in a window the answer is 429 with
 * {@code Retry-After} instead of 401. Only failures are counted and refused — a request with a valid key never
 * reaches this class, so a client sharing an address with a guesser keeps working. Keys carry 256 random bits
 * (MAILROOM_ADMIN_KEY at least 16 characters), so the limit sheds scanners' load rather than guarding against
 * a guess. When Redis cannot count, the failure is a plain 401.
 */
public final class FailedAuthLimiter {
    private static final Logger log = LoggerFactory.getLogger(FailedAuthLimiter.class);

    private final RedisAuthFailures failures;
    private final AuthSettings settings;

    public FailedAuthLimiter(RedisAuthFailures failures, AuthSettings settings) {
        this.failures = failures;
        this.settings = settings;
    }

    /** The answer to a failed authentication from {@code clientAddress}: 401 with {@code detail}, or 429. */
    public HttpFailure refuse(String clientAddress, String detail) {
        RedisAuthFailures.Count count;
        try {
            count = failures.record(clientAddress, settings.failureWindow());
        } catch (RuntimeException e) {
            log.warn("failed authentication not counted ({})", e.getClass().getSimpleName());
            return HttpFailure.unauthorized(detail);
        }
        if (count.failures() <= settings.failureLimit()) return HttpFailure.unauthorized(detail);
        if (count.failures() == settings.failureLimit() + 1L) {
            log.warn("a client address passed {} failed authentications in {} s; it gets 429 until its window ends",
                    settings.failureLimit(), settings.failureWindow().toSeconds());
        }
        return HttpFailure.tooManyRequests("too many failed authentications from this address; retry later",
                Math.max(1, count.windowLeft().toSeconds()));
    }
}
