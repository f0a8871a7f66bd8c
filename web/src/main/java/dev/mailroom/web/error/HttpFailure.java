package dev.mailroom.web.error;

/** An HTTP-only failure the domain knows nothing about: 400 bad request, 401, 403, 413, 429. */
public final class HttpFailure extends RuntimeException {
    public final int status;
    public final String slug;
    public final String title;
    /** Seconds for a {@code Retry-After} header, or null. */
    public final Long retryAfterSeconds;

    public HttpFailure(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, null);
    }

    private HttpFailure(int status, String slug, String title, String detail, Long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static HttpFailure unauthorized(String detail) {
        return new HttpFailure(401, "unauthorized", "Unauthorized", detail);
    }

    public static HttpFailure forbidden(String detail) {
        return new HttpFailure(403, "forbidden", "Forbidden", detail);
    }

    public static HttpFailure tooLarge(long limit) {
        return new HttpFailure(413, "too-large", "Content Too Large", "the request body is over " + limit + " bytes");
    }

    public static HttpFailure badRequest(String detail) {
        return new HttpFailure(400, "bad-request", "Bad Request", detail);
    }

    public static HttpFailure tooManyRequests(String detail, long retryAfterSeconds) {
        return tooManyRequests("too-many-requests", detail, retryAfterSeconds);
    }

    /** A 429 of its own kind ({@code slug}), with the seconds to wait. */
    public static HttpFailure tooManyRequests(String slug, String detail, long retryAfterSeconds) {
        return new HttpFailure(429, slug, "Too Many Requests", detail, retryAfterSeconds);
    }
}
