package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.WEBHOOK_ENDPOINT;
import static dev.mailroom.db.generated.Tables.WEBHOOK_OUTBOX;
import static dev.mailroom.db.generated.Tables.WEBHOOK_SUBSCRIPTION;
import static org.jooq.impl.DSL.row;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Row2;
import org.jooq.impl.DSL;

/**
 * Webhook events, written in the caller's transaction beside the status change they report, one outbox
 * row per subscribed endpoint. Workers dispatch them later, so a slow endpoint never slows sending.
 */
public final class WebhookOutbox {
    public record Event(String type, Map<String, Object> data) {}

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static final String ANY_SUBSCRIBER =
            "select exists (select 1 from webhook_subscription where event = any (?::text[]))";

    private WebhookOutbox() {}

    public static void enqueue(DSLContext tx, Collection<Event> events) {
        if (events.isEmpty() || !anySubscriber(tx, events)) return;
        List<Row2<String, String>> rows = new ArrayList<>(events.size());
        for (Event e : events) rows.add(row(e.type(), payload(e)));
        var v = DSL.values(rows.toArray(Row2[]::new)).as("v", "event", "payload");
        var event = v.field("event", String.class);
        tx.insertInto(WEBHOOK_OUTBOX, WEBHOOK_OUTBOX.ENDPOINT_ID, WEBHOOK_OUTBOX.EVENT, WEBHOOK_OUTBOX.PAYLOAD)
                .select(tx.select(WEBHOOK_SUBSCRIPTION.ENDPOINT_ID, event, v.field("payload", String.class))
                        .from(v)
                        .join(WEBHOOK_SUBSCRIPTION).on(WEBHOOK_SUBSCRIPTION.EVENT.eq(event))
                        .join(WEBHOOK_ENDPOINT).on(WEBHOOK_ENDPOINT.ID.eq(WEBHOOK_SUBSCRIPTION.ENDPOINT_ID))
                        .where(WEBHOOK_ENDPOINT.ACTIVE.isTrue()))
                .execute();
    }

    /** The common case has no endpoint at all: one cheap look spares building payloads. */
    private static boolean anySubscriber(DSLContext tx, Collection<Event> events) {
        String[] types = events.stream().map(Event::type).distinct().toArray(String[]::new);
        return FixedSql.first(tx, ANY_SUBSCRIBER, ps -> FixedSql.texts(ps, 1, types),
                rs -> rs.getBoolean(1)).orElse(false);
    }

    private static String payload(Event e) {
        try {
            return JSON.writeValueAsString(e.data());
        } catch (JsonProcessingException x) {
            throw new IllegalArgumentException("webhook payload is not serialisable", x);
        }
    }
}
