package dev.mailroom.web;

import io.javalin.http.Context;

/**
 * Headers sent with every response — API, console, static files and errors alike. The console runs under
 * the policy: its scripts and styles are files of its own origin, with no inline script, no style
 * attribute and no {@code <style>} block. The unsubscribe pages replace the policy with a stricter one.
 */
final class SecurityHeaders {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'";

    private SecurityHeaders() {}

    static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }
}
