package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.WEBHOOK_DELIVERY;
import static dev.mailroom.db.generated.Tables.WEBHOOK_ENDPOINT;
import static dev.mailroom.db.generated.Tables.WEBHOOK_OUTBOX;
import static dev.mailroom.db.generated.Tables.WEBHOOK_SUBSCRIPTION;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** Webhook endpoints, their subscriptions and the log of every delivery attempt. Secrets are never read back. */
public final class JooqWebhookStore {
    public record Endpoint(long id, String url, List<String> events, boolean active, Instant createdAt) {}

    public record Delivery(long id, long outboxId, String event, int attemptNo, Integer statusCode, String error,
                           int durationMs, Instant attemptedAt, String outboxStatus) {}

    /** Outbox rows still to deliver, and when the oldest of them was written (null when there is none). */
    public record Backlog(int pending, Instant oldestCreatedAt) {}

    private final DSLContext dsl;

    public JooqWebhookStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** {@code sealedSecret}: the signing secret already sealed (I19); this store never sees it in clear. */
    public Endpoint create(String url, String sealedSecret, List<String> events) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            long id = tx.insertInto(WEBHOOK_ENDPOINT, WEBHOOK_ENDPOINT.URL, WEBHOOK_ENDPOINT.SECRET).values(url, sealedSecret)
                    .returning(WEBHOOK_ENDPOINT.ID).fetchOne(WEBHOOK_ENDPOINT.ID);
            var insert = tx.insertInto(WEBHOOK_SUBSCRIPTION, WEBHOOK_SUBSCRIPTION.ENDPOINT_ID, WEBHOOK_SUBSCRIPTION.EVENT);
            for (String e : events) insert = insert.values(id, e);
            insert.onConflictDoNothing().execute();
            return find(tx, id).orElseThrow();
        });
    }

    public Optional<Endpoint> find(long id) {
        return find(dsl, id);
    }

    public List<Endpoint> list() {
        Map<Long, List<String>> events = subscriptions(dsl);
        return dsl.selectFrom(WEBHOOK_ENDPOINT).orderBy(WEBHOOK_ENDPOINT.ID)
                .fetch(r -> new Endpoint(r.getId(), r.getUrl(), events.getOrDefault(r.getId(), List.of()),
                        r.getActive(), Times.instant(r.getCreatedAt())));
    }

    /** For the metrics: one statement on the (status, next_attempt_at) index. */
    public Backlog backlog() {
        return dsl.select(DSL.count(), DSL.min(WEBHOOK_OUTBOX.CREATED_AT)).from(WEBHOOK_OUTBOX)
                .where(WEBHOOK_OUTBOX.STATUS.eq("pending"))
                .fetchOne(r -> new Backlog(r.value1(), Times.instant(r.value2())));
    }

    /** @return false when no such endpoint existed */
    public boolean delete(long id) {
        return dsl.deleteFrom(WEBHOOK_ENDPOINT).where(WEBHOOK_ENDPOINT.ID.eq(id)).execute() > 0;
    }

    /** Newest first; {@code beforeId} is the previous page's last delivery id. */
    public Page<Delivery, Long> deliveries(long endpointId, Long beforeId, int limit) {
        var rows = dsl.select(WEBHOOK_DELIVERY.ID, WEBHOOK_DELIVERY.OUTBOX_ID, WEBHOOK_OUTBOX.EVENT,
                        WEBHOOK_DELIVERY.ATTEMPT_NO, WEBHOOK_DELIVERY.STATUS_CODE, WEBHOOK_DELIVERY.ERROR,
                        WEBHOOK_DELIVERY.DURATION_MS, WEBHOOK_DELIVERY.ATTEMPTED_AT, WEBHOOK_OUTBOX.STATUS)
                .from(WEBHOOK_DELIVERY).join(WEBHOOK_OUTBOX).on(WEBHOOK_OUTBOX.ID.eq(WEBHOOK_DELIVERY.OUTBOX_ID))
                .where(WEBHOOK_DELIVERY.ENDPOINT_ID.eq(endpointId))
                .and(beforeId == null ? DSL.noCondition() : WEBHOOK_DELIVERY.ID.lt(beforeId))
                .orderBy(WEBHOOK_DELIVERY.ID.desc()).limit(limit + 1)
                .fetch(r -> new Delivery(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                        r.value7(), Times.instant(r.value8()), r.value9()));
        return Page.of(rows, limit, Delivery::id);
    }

    private static Optional<Endpoint> find(DSLContext ctx, long id) {
        List<String> events = ctx.select(WEBHOOK_SUBSCRIPTION.EVENT).from(WEBHOOK_SUBSCRIPTION)
                .where(WEBHOOK_SUBSCRIPTION.ENDPOINT_ID.eq(id)).orderBy(WEBHOOK_SUBSCRIPTION.EVENT)
                .fetch(WEBHOOK_SUBSCRIPTION.EVENT);
        return ctx.selectFrom(WEBHOOK_ENDPOINT).where(WEBHOOK_ENDPOINT.ID.eq(id))
                .fetchOptional(r -> new Endpoint(r.getId(), r.getUrl(), events, r.getActive(), Times.instant(r.getCreatedAt())));
    }

    private static Map<Long, List<String>> subscriptions(DSLContext ctx) {
        return ctx.selectFrom(WEBHOOK_SUBSCRIPTION).orderBy(WEBHOOK_SUBSCRIPTION.EVENT).fetch().stream()
                .collect(Collectors.groupingBy(r -> r.getEndpointId(),
                        Collectors.mapping(r -> r.getEvent(), Collectors.toList())));
    }
}
