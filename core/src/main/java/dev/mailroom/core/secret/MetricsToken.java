package dev.mailroom.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * The bearer token that guards {@code /metrics} of the web and worker processes ({@code
 * MAILROOM_METRICS_TOKEN}); without one the endpoint is open. Tokens are compared in constant time, as
 * SHA-256 digests, so that neither their content nor their length shows in the time an answer takes.
 */
public final class MetricsToken {
    public static final String ENV = "MAILROOM_METRICS_TOKEN";
    public static final MetricsToken NONE = new MetricsToken(null);
    private static final int MIN_LENGTH = 16;
    private static final String BEARER = "Bearer ";

    private final byte[] digest;

    private MetricsToken(byte[] digest) {
        this.digest = digest;
    }

    /** Blank or null → open. */
    public static MetricsToken of(String token) {
        if (token == null || token.isBlank()) return NONE;
        if (token.strip().length() < MIN_LENGTH) {
            throw new IllegalArgumentException(ENV + " must be at least " + MIN_LENGTH + " characters");
        }
        return new MetricsToken(sha256(token.strip()));
    }

    public static MetricsToken fromEnvironment(Map<String, String> env) {
        return of(env.get(ENV));
    }

    public boolean required() {
        return digest != null;
    }

    /** Whether a request with this {@code Authorization} header (null when absent) may read the metrics. */
    public boolean permits(String authorization) {
        if (digest == null) return true;
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) return false;
        return MessageDigest.isEqual(digest, sha256(authorization.substring(BEARER.length()).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Never the token itself (I14). */
    @Override
    public String toString() {
        return required() ? "set" : "none";
    }
}
