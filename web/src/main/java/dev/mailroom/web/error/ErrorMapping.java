package dev.mailroom.web.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.mailroom.core.error.InvalidInput;
import dev.mailroom.core.error.InvalidTransition;
import dev.mailroom.core.error.LostClaim;
import dev.mailroom.core.error.NotFound;
import dev.mailroom.web.json.StrictReader;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The one mapping from errors to HTTP (application/problem+json, RFC 9457). Messages of unexpected
 * exceptions are never logged or returned: they may quote an address or a key (I14).
 */
public final class ErrorMapping {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final long RETRY_AFTER_SECONDS = 2;
    private static final java.util.regex.Pattern REDIS_NOT_NOW =
            java.util.regex.Pattern.compile("(READONLY|MASTERDOWN|LOADING|TRYAGAIN|CLUSTERDOWN)\\b");

    private final ObjectMapper mapper;

    public ErrorMapping(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void register(RoutesConfig routes) {
        routes.exception(InvalidInput.class, (e, ctx) -> write(ctx, new Problem("/problems/validation",
                "Invalid input", 400, e.getMessage(),
                e.errors.stream().map(f -> new Problem.FieldMessage(f.field(), f.message())).toList(), null)));
        routes.exception(NotFound.class, (e, ctx) -> write(ctx, Problem.of(404, "not-found", "Not Found",
                e.what + " " + e.id + " not found")));
        routes.exception(InvalidTransition.class, (e, ctx) -> write(ctx, new Problem("/problems/invalid-transition",
                "Invalid state transition", 409, e.getMessage(), null, e.currentStatus)));
        routes.exception(LostClaim.class, (e, ctx) -> write(ctx, Problem.of(409, "conflict", "Conflict", "claim lost")));
        routes.exception(HttpFailure.class, (e, ctx) -> {
            if (e.status == 401) ctx.header("WWW-Authenticate", "Bearer");
            if (e.retryAfterSeconds != null) ctx.header("Retry-After", e.retryAfterSeconds.toString());
            write(ctx, Problem.of(e.status, e.slug, e.title, e.getMessage()));
        });
        routes.exception(JsonProcessingException.class, (e, ctx) -> write(ctx, json(e)));
        routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, Problem.of(e.getStatus(),
                "http-" + e.getStatus(), e.getMessage(), e.getMessage())));
        routes.exception(java.io.UncheckedIOException.class, (e, ctx) -> write(ctx, Problem.of(400, "bad-request",
                "Bad Request", "the request body could not be read to its end")));
        routes.exception(DataAccessException.class, (e, ctx) -> {
            if (isConnectionLoss(e)) {
                unavailable(ctx, "PostgreSQL");
            } else {
                write(ctx, dataAccess(e));
            }
        });
        routes.exception(Exception.class, (e, ctx) -> {
            if (redisUnavailable(e)) {
                unavailable(ctx, "Redis");
                return;
            }
            log.error("unhandled {} on {} {} at {}", e.getClass().getName(), ctx.method(), route(ctx),
                    e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
            write(ctx, Problem.of(500, "internal", "Internal Server Error", "unexpected error"));
        });
    }

    /**
     * A store that did not answer (down, failing over, or stalled past its timeout) is the server's trouble
     * but not a bug: 503 with a Retry-After, so a client, a load balancer or the console tries again.
     */
    private void unavailable(Context ctx, String store) {
        log.warn("{} did not answer on {} {}", store, ctx.method(), route(ctx));
        // Not for POST and PATCH: their change may have committed before the store went away (read back first).
        if (!ctx.method().name().equals("POST") && !ctx.method().name().equals("PATCH")) {
            ctx.header("Retry-After", Long.toString(RETRY_AFTER_SECONDS));
        }
        write(ctx, Problem.of(503, "unavailable", "Service Unavailable",
                store + " did not answer; try again in a few seconds"));
    }

    /**
     * Redis did not answer or cannot take the command now: a lost or timed-out connection (a Cluster client wraps
     * it; Redisson has its own), or a server in the middle of a failover, a resync or a slot move.
     */
    private static boolean redisUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JedisConnectionException || t instanceof JedisClusterOperationException
                    || t instanceof org.redisson.client.RedisConnectionException
                    || t instanceof org.redisson.client.RedisTimeoutException) {
                return true;
            }
            if (t instanceof JedisDataException && t.getMessage() != null
                    && REDIS_NOT_NOW.matcher(t.getMessage()).lookingAt()) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) if (redisUnavailable(s)) return true;
        }
        return false;
    }

    /** SQLSTATE class 08: the connection failed or was lost; a pool that timed out waiting says so in its cause. */
    private static boolean isConnectionLoss(DataAccessException e) {
        String state = e.sqlState();
        if (state != null && state.startsWith("08")) return true;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException) return true;
        }
        return false;
    }

    private static Problem json(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) return invalid(path(u.getPath()), StrictReader.UNKNOWN_FIELD);
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String expected = m.getTargetType() == null ? "another type" : typeName(m.getTargetType());
            return invalid(path(m.getPath()), "expected " + expected);
        }
        return Problem.of(400, "malformed-json", "Malformed JSON", "the body is not valid JSON of the expected shape");
    }

    /** One field's validation problem, as {@link InvalidInput} is written. */
    private static Problem invalid(String field, String message) {
        return new Problem("/problems/validation", "Invalid input", 400, field + ": " + message,
                List.of(new Problem.FieldMessage(field, message)), null);
    }

    private static Problem dataAccess(DataAccessException e) {
        String state = e.sqlState();
        if (state != null && state.startsWith("22")) {
            return Problem.of(400, "bad-request", "Bad Request", "a value is out of range or too long");
        }
        if (state != null && state.startsWith("23")) {
            return Problem.of(409, "conflict", "Conflict", "the change conflicts with stored data");
        }
        log.error("database error sqlstate={}", state);
        return Problem.of(500, "internal", "Internal Server Error", "unexpected database error");
    }

    /** The matched route template (never the raw path: it may hold an address). */
    public static String route(Context ctx) {
        try {
            var e = ctx.endpoints().matchedHttpEndpoint();
            return e == null ? "unmatched" : e.path;
        } catch (RuntimeException ex) {
            return "unmatched";
        }
    }

    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (!b.isEmpty()) b.append('.');
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String typeName(Class<?> t) {
        if (t == String.class) return "a string";
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) return "an integer";
        if (t == Boolean.class || t == boolean.class) return "a boolean";
        if (java.util.Collection.class.isAssignableFrom(t)) return "an array";
        return "an object";
    }

    public void write(Context ctx, Problem p) {
        try {
            // The charset is named: without it Jetty writes this media type as ISO-8859-1, and a detail quoting a
            // Cyrillic header (or any non-Latin text) arrives as question marks.
            ctx.status(p.status()).contentType(PROBLEM_JSON + "; charset=utf-8").result(mapper.writeValueAsString(p));
        } catch (JsonProcessingException e) {
            ctx.status(500).result("{}");
        }
    }
}
