package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.AUDIT_EVENT;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.JSON;
import org.jooq.impl.DSL;

/**
 * The audit trail: who (which key) did what to which target, and when. {@link #change} runs a change and
 * records it in the same transaction, so a change is never committed without its row nor a row without its
 * change; {@link #record} is for changes PostgreSQL does not hold (a circuit in Redis), written right after.
 */
public final class JooqAuditTrail {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The caller: its API key, or none (null id and name) for the process itself. */
    public record Actor(Long keyId, String keyName) {
        public static final Actor PROCESS = new Actor(null, null);
    }

    /** What happened; {@code detail} holds plain values (strings, numbers, lists), never a secret. */
    public record Event(String action, String targetType, String targetId, Map<String, ?> detail) {
        public static Event of(String action, String targetType, Object targetId, Map<String, ?> detail) {
            return new Event(action, targetType, targetId == null ? null : targetId.toString(), detail);
        }
    }

    /** A change's result and the events to record for it; none when nothing changed. */
    public record Audited<T>(T result, List<Event> events) {
        public static <T> Audited<T> of(T result, Event event) {
            return new Audited<>(result, List.of(event));
        }

        public static <T> Audited<T> nothing(T result) {
            return new Audited<>(result, List.of());
        }
    }

    public record Row(long id, Instant at, Long keyId, String keyName, String action, String targetType,
                      String targetId, JsonNode detail) {}

    private final DSLContext dsl;

    public JooqAuditTrail(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Runs {@code change} in a transaction (stores bound to the {@link DSLContext} it gets join it). */
    public <T> T change(Actor actor, Function<DSLContext, Audited<T>> change) {
        return dsl.transactionResult(cfg -> {
            Audited<T> audited = change.apply(cfg.dsl());
            for (Event e : audited.events()) insert(cfg.dsl(), actor, e);
            return audited.result();
        });
    }

    public void record(Actor actor, Event event) {
        insert(dsl, actor, event);
    }

    /** Newest first; {@code beforeId} is the previous page's last id; null filters match everything. */
    public Page<Row, Long> list(String targetType, String targetId, Long keyId, Long beforeId, int limit) {
        Condition where = DSL.noCondition();
        if (targetType != null) where = where.and(AUDIT_EVENT.TARGET_TYPE.eq(targetType));
        if (targetId != null) where = where.and(AUDIT_EVENT.TARGET_ID.eq(targetId));
        if (keyId != null) where = where.and(AUDIT_EVENT.KEY_ID.eq(keyId));
        if (beforeId != null) where = where.and(AUDIT_EVENT.ID.lt(beforeId));
        var rows = dsl.selectFrom(AUDIT_EVENT).where(where).orderBy(AUDIT_EVENT.ID.desc()).limit(limit + 1)
                .fetch(r -> new Row(r.getId(), Times.instant(r.getAt()), r.getKeyId(), r.getKeyName(), r.getAction(),
                        r.getTargetType(), r.getTargetId(), tree(r.getDetail())));
        return Page.of(rows, limit, Row::id);
    }

    private static void insert(DSLContext ctx, Actor actor, Event e) {
        ctx.insertInto(AUDIT_EVENT, AUDIT_EVENT.KEY_ID, AUDIT_EVENT.KEY_NAME, AUDIT_EVENT.ACTION, AUDIT_EVENT.TARGET_TYPE,
                        AUDIT_EVENT.TARGET_ID, AUDIT_EVENT.DETAIL)
                .values(actor.keyId(), actor.keyName(), e.action(), e.targetType(), e.targetId(), json(e.detail()))
                .execute();
    }

    private static JSON json(Map<String, ?> detail) {
        try {
            return JSON.valueOf(MAPPER.writeValueAsString(detail == null ? Map.of() : detail));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail is not plain data", e);
        }
    }

    private static JsonNode tree(JSON detail) {
        try {
            return MAPPER.readTree(detail == null ? "{}" : detail.data());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored audit detail is not JSON", e);
        }
    }
}
