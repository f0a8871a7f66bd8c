package dev.mailroom.core.delivery;

import java.net.URI;
import java.util.Map;

/**
 * The base URL people's mail clients reach ({@code MAILROOM_PUBLIC_URL}); unsubscribe links hang off it.
 * RFC 8058 wants https; plain http is accepted for development and private networks.
 */
public record PublicUrl(String base) {
    public static final String VARIABLE = "MAILROOM_PUBLIC_URL";
    private static final String DEV_DEFAULT = "http://127.0.0.1:7070";

    public PublicUrl {
        URI uri;
        try {
            uri = URI.create(base.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VARIABLE + " is not a URL");
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException(VARIABLE + " must be an http(s) URL without query or fragment, like https://mail.example.com");
        }
        base = uri.toString().replaceAll("/+$", "");
    }

    /** Required, except under {@code MAILROOM_ENV=dev}, where it defaults to the local web process. */
    public static PublicUrl fromEnvironment(Map<String, String> env) {
        String v = env.get(VARIABLE);
        if (v != null && !v.isBlank()) return new PublicUrl(v);
        if ("dev".equals(env.get("MAILROOM_ENV"))) return new PublicUrl(DEV_DEFAULT);
        throw new IllegalArgumentException(VARIABLE + " is not set: the base URL recipients' mail clients reach for "
                + "unsubscribe links, like https://mail.example.com (or MAILROOM_ENV=dev for " + DEV_DEFAULT + ")");
    }

    public String unsubscribe(String token) {
        return base + "/u/" + token;
    }
}
