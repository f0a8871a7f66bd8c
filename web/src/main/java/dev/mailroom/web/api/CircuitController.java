package dev.mailroom.web.api;

import dev.mailroom.core.circuit.CircuitBreakers;
import dev.mailroom.core.error.NotFound;
import dev.mailroom.core.sender.Sender;
import dev.mailroom.db.postgres.JooqAuditTrail;
import dev.mailroom.db.postgres.JooqSenderStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** I16: the open routes, per sender and recipient domain, as ops see them; an operator may close one by hand. */
public final class CircuitController {
    private final CircuitBreakers circuits;
    private final JooqSenderStore senders;
    private final Clock clock;
    private final Audit audit;

    public CircuitController(CircuitBreakers circuits, JooqSenderStore senders, Clock clock, Audit audit) {
        this.circuits = circuits;
        this.senders = senders;
        this.clock = clock;
        this.audit = audit;
    }

    public record CircuitView(long senderId, String domain, String state, Instant until, double failureRate,
                              int attempts, String lastReply, Instant openedAt) {}

    /** {@code ?sender_id=} narrows it to one sender. */
    public void list(Context ctx) {
        Long only = Requests.optionalLong(ctx, "sender_id");
        List<Long> ids = only == null ? senders.list().stream().map(Sender::id).toList() : List.of(only);
        Instant now = clock.instant();
        List<CircuitView> items = new ArrayList<>();
        for (long id : ids) {
            for (CircuitBreakers.Circuit c : circuits.circuits(id, now)) {
                items.add(new CircuitView(c.senderId(), c.domain(), c.halfOpen() ? "half_open" : "open", c.until(),
                        c.failureRate(), c.attempts(), c.lastReply(), c.openedAt()));
            }
        }
        ctx.json(new PageView<>(items, null));
    }

    public void close(Context ctx) {
        long senderId = Requests.id(ctx, "sender_id");
        String domain = ctx.pathParam("domain").toLowerCase(java.util.Locale.ROOT);
        if (!circuits.close(senderId, domain)) throw new NotFound("open circuit", senderId + "/" + domain);
        // Circuits live in Redis: the audit row follows the change instead of sharing its transaction.
        audit.changed(ctx, JooqAuditTrail.Event.of("circuit.close", "circuit", senderId + "/" + domain,
                Map.of("sender_id", senderId, "domain", domain)));
        ctx.status(204);
    }
}
