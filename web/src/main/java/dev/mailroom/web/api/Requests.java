package dev.mailroom.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.core.error.InvalidInput;
import dev.mailroom.web.error.HttpFailure;
import dev.mailroom.web.json.StrictReader;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reading requests: JSON bodies (size-limited by Javalin), ids, limits and opaque cursors. */
public final class Requests {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    private final ObjectMapper mapper;
    private final StrictReader strict;

    public Requests(ObjectMapper mapper) {
        this.mapper = mapper;
        this.strict = new StrictReader(mapper);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * The body as {@code type}; a body over the limit is a 413 (bodyAsBytes enforces maxRequestSize), and
     * every field {@code type} does not know is named in one 400.
     */
    public <T> T body(Context ctx, Class<T> type) throws IOException {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) throw HttpFailure.badRequest("a JSON body is required");
        T value = strict.read(bytes, type);
        if (value == null) throw HttpFailure.badRequest("a JSON object is required");
        return value;
    }

    /**
     * The body as a tree, for handlers that merge or pick fields; the mapper's strictness applies when the
     * tree is turned into a type (an unknown field is then a 400 naming it), so such a handler must not
     * drop fields on the way.
     */
    public JsonNode tree(Context ctx) throws IOException {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) throw HttpFailure.badRequest("a JSON body is required");
        JsonNode node = mapper.readTree(bytes);
        if (node == null || !node.isObject()) throw HttpFailure.badRequest("a JSON object is required");
        return node;
    }

    public static long id(Context ctx, String param) {
        try {
            return Long.parseLong(ctx.pathParam(param));
        } catch (NumberFormatException e) {
            throw InvalidInput.of(param, "must be an integer id");
        }
    }

    public static Long optionalLong(Context ctx, String param) {
        String v = ctx.queryParam(param);
        if (v == null || v.isBlank()) return null;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw InvalidInput.of(param, "must be an integer");
        }
    }

    public static int limit(Context ctx) {
        Long v = optionalLong(ctx, "limit");
        if (v == null) return DEFAULT_LIMIT;
        if (v < 1 || v > MAX_LIMIT) throw InvalidInput.of("limit", "must be between 1 and " + MAX_LIMIT);
        return v.intValue();
    }

    /** Cursors are opaque to clients: the previous page's last key, base64url-encoded. */
    public static String encodeCursor(Object key) {
        if (key == null) return null;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static String cursor(Context ctx) {
        String c = ctx.queryParam("cursor");
        if (c == null || c.isBlank()) return null;
        try {
            return new String(Base64.getUrlDecoder().decode(c.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw InvalidInput.of("cursor", "is not a cursor this API gave out");
        }
    }

    public static Long longCursor(Context ctx) {
        String c = cursor(ctx);
        if (c == null) return null;
        try {
            return Long.parseLong(c);
        } catch (NumberFormatException e) {
            throw InvalidInput.of("cursor", "is not a cursor this API gave out");
        }
    }
}
