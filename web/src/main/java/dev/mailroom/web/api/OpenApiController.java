package dev.mailroom.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * GET /api/openapi.json (no key): the API reference as OpenAPI 3.1. It is written by hand as YAML (comments
 * and all, beside docs/api.md) and turned into JSON once, at start; a missing or broken resource stops the
 * web process rather than serve a wrong reference. The ETag lets clients and the console revalidate cheaply.
 */
public final class OpenApiController {
    static final String RESOURCE = "/openapi.yaml";
    /** Short, so a client sees a new release's document soon; the ETag makes revalidating it a 304. */
    static final String CACHE_CONTROL = "public, max-age=300";

    private final byte[] json;
    private final String etag;

    public OpenApiController() {
        try {
            json = new ObjectMapper().writeValueAsBytes(document());
            etag = "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json), 0, 16) + "\"";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The document as the resource holds it. */
    private static JsonNode document() throws IOException {
        try (InputStream in = OpenApiController.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the class path");
            return new YAMLMapper().readTree(in);
        }
    }

    public void serve(Context ctx) {
        ctx.header("ETag", etag).header("Cache-Control", CACHE_CONTROL);
        if (matches(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/json").result(json);
    }

    /** If-None-Match compares weakly (RFC 9110 13.1.2): a W/ prefix still matches, and so does *. */
    private boolean matches(String ifNoneMatch) {
        if (ifNoneMatch == null) return false;
        return Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
                .anyMatch(t -> t.equals("*") || t.equals(etag) || t.equals("W/" + etag));
    }
}
