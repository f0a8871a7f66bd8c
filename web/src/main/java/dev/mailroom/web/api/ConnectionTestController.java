package dev.mailroom.web.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.core.error.NotFound;
import dev.mailroom.db.postgres.ConnectionTestRow;
import dev.mailroom.db.postgres.JooqConnectionTestStore;
import dev.mailroom.db.postgres.JooqSenderStore;
import dev.mailroom.db.redis.RedisSignals;
import dev.mailroom.web.json.StrictReader;
import io.javalin.http.Context;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Test connection" for a sender. I1: this tier has no SMTP, so a test is a queued row the worker serving the
 * sender runs (connect, EHLO, TLS, AUTH as set, QUIT — no mail, no quota); the client polls for its result.
 */
public final class ConnectionTestController {
    private static final Logger log = LoggerFactory.getLogger(ConnectionTestController.class);

    private final JooqConnectionTestStore tests;
    private final JooqSenderStore senders;
    private final RedisSignals signals;
    private final Requests requests;

    public ConnectionTestController(JooqConnectionTestStore tests, JooqSenderStore senders, RedisSignals signals,
                                    Requests requests) {
        this.tests = tests;
        this.senders = senders;
        this.signals = signals;
        this.requests = requests;
    }

    record Queued(long id, String status) {}

    /** {@code fault} and {@code detail} are null while queued; {@code detail} says what passed, too. */
    record ConnectionTestView(long id, long senderId, String status, String fault, String detail, Instant createdAt,
                              Instant testedAt) {
        static ConnectionTestView of(ConnectionTestRow t) {
            return new ConnectionTestView(t.id(), t.senderId(), t.status(), t.fault(), t.detail(), t.createdAt(), t.testedAt());
        }
    }

    /** No body, or an empty object: a test takes nothing but the sender's own settings; any field is named in a 400. */
    public void enqueue(Context ctx) throws Exception {
        long senderId = Requests.id(ctx, "id");
        if (ctx.bodyAsBytes().length > 0) {
            JsonNode body = requests.tree(ctx);
            Validation v = new Validation();
            body.fieldNames().forEachRemaining(f -> v.error(f, StrictReader.UNKNOWN_FIELD));
            v.throwIfAny();
        }
        if (!senders.exists(senderId)) throw new NotFound("sender", senderId);
        long id = tests.enqueue(senderId);
        try {
            signals.wake(senderId);
        } catch (RuntimeException e) {
            log.warn("wake-up for connection test {} not published ({}); workers will notice on their next scan", id,
                    e.getClass().getSimpleName());
        }
        ctx.status(202).json(new Queued(id, "queued"));
    }

    public void get(Context ctx) {
        long senderId = Requests.id(ctx, "id");
        long id = Requests.id(ctx, "test_id");
        ctx.json(ConnectionTestView.of(tests.find(senderId, id).orElseThrow(() -> new NotFound("connection test", id))));
    }
}
