package dev.mailroom.core.circuit;

import java.time.Duration;

/**
 * I16, when a route's circuit opens (the Resilience4j model): at least {@code failurePercent} of the
 * distinct recipients tried on the route within {@code window} failed it, with at least
 * {@code minAttempts} of them — so greylisting a few recipients never closes a route that delivers to
 * the rest. An open route waits {@code coolDown}, then one probe decides.
 */
public record CircuitRule(int minAttempts, int failurePercent, Duration window, Duration coolDown) {
    public static final CircuitRule DEFAULT = new CircuitRule(20, 50, Duration.ofMinutes(2), Duration.ofMinutes(5));

    public CircuitRule {
        if (minAttempts < 1) throw new IllegalArgumentException("MAILROOM_CIRCUIT_MIN_ATTEMPTS must be at least 1");
        if (failurePercent < 1 || failurePercent > 100) throw new IllegalArgumentException("MAILROOM_CIRCUIT_FAILURE_PERCENT must be 1..100");
        if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("MAILROOM_CIRCUIT_WINDOW_MS must be positive");
        if (coolDown.isNegative() || coolDown.isZero()) throw new IllegalArgumentException("MAILROOM_CIRCUIT_COOLDOWN_MS must be positive");
    }

    public boolean opens(int attempts, int failed) {
        return attempts >= minAttempts && failed * 100L >= (long) failurePercent * attempts;
    }
}
