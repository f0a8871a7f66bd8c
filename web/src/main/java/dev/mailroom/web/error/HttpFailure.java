package dev.mailroom.web.error;

/** An HTTP-only failure the domain knows nothing about: 400 bad request, 401, 403, 413. */
public final class HttpFailure extends RuntimeException {
    public final int status;
    public final String slug;
    public final String title;

    public HttpFailure(int status, String slug, String title, String detail) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
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
}
