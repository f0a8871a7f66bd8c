package dev.mailroom.web.api;

import dev.mailroom.db.postgres.JooqAuditTrail;
import dev.mailroom.db.postgres.JooqAuditTrail.Actor;
import dev.mailroom.db.postgres.JooqAuditTrail.Audited;
import dev.mailroom.db.postgres.JooqAuditTrail.Event;
import dev.mailroom.web.auth.AuthenticatedKey;
import io.javalin.http.Context;
import java.util.Map;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail as handlers use it: the actor is the request's key. A change held by PostgreSQL goes
 * through {@link #change}, its stores bound to the transaction it is given, so the change and its audit row
 * commit together; {@link #changed} records a change held elsewhere (Redis), right after it was made.
 */
public final class Audit {
    private static final Logger log = LoggerFactory.getLogger(Audit.class);

    private final JooqAuditTrail trail;

    public Audit(JooqAuditTrail trail) {
        this.trail = trail;
    }

    public <T> T change(Context ctx, Function<DSLContext, Audited<T>> change) {
        return trail.change(actor(ctx), change);
    }

    /** The change is made and stays made: a trail that cannot be written is logged, not the caller's failure. */
    public void changed(Context ctx, Event event) {
        try {
            trail.record(actor(ctx), event);
        } catch (RuntimeException e) {
            log.warn("audit event {} on {} not recorded ({})", event.action(), event.targetType(), e.getClass().getSimpleName());
        }
    }

    public static <T> Audited<T> audited(T result, String action, String targetType, Object targetId, Map<String, ?> detail) {
        return Audited.of(result, Event.of(action, targetType, targetId, detail));
    }

    private static Actor actor(Context ctx) {
        AuthenticatedKey key = AuthenticatedKey.of(ctx);
        return new Actor(key.id(), key.name());
    }
}
