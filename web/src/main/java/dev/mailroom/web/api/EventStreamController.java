package dev.mailroom.web.api;

import dev.mailroom.core.error.NotFound;
import dev.mailroom.db.postgres.JooqCampaignReads;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisLiveEvents;
import dev.mailroom.web.auth.AuthenticatedKey;
import dev.mailroom.web.error.HttpFailure;
import dev.mailroom.web.sse.OpenStreams;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.concurrent.atomic.AtomicInteger;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;

/**
 * {@code GET /api/campaigns/{id}/events}: the campaign's live events as Server-Sent Events, relayed from
 * the Redis channel every worker publishes to, so any web process can serve any campaign. Streams are
 * capped per API key and per process, and closed when idle ({@link OpenStreams}).
 */
public final class EventStreamController {
    /** Seconds a refused client should wait: streams end often (idle, closed tabs), so a slot frees soon. */
    static final long RETRY_AFTER_SECONDS = 30;

    private final Redis redis;
    private final JooqCampaignReads campaigns;
    private final OpenStreams streams;

    public EventStreamController(Redis redis, JooqCampaignReads campaigns, OpenStreams streams) {
        this.redis = redis;
        this.campaigns = campaigns;
        this.streams = streams;
    }

    /** Checked before the stream opens, so an unknown campaign, a plain GET or a full server gets a problem+json. */
    public void handle(Context ctx) throws Exception {
        long id = Requests.id(ctx, "id");
        if (campaigns.find(id).isEmpty()) throw new NotFound("campaign", id);
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new HttpFailure(406, "not-acceptable", "Not Acceptable", "this is an event stream: send Accept: text/event-stream");
        }
        switch (streams.admit(AuthenticatedKey.of(ctx).id())) {
            case OpenStreams.Refused r -> throw HttpFailure.tooManyRequests("too-many-streams", r.reason(), RETRY_AFTER_SECONDS);
            case OpenStreams.Slot slot -> {
                try {
                    new SseHandler(client -> stream(client, id, slot)).handle(ctx);
                } catch (Exception | Error e) {
                    slot.release();
                    throw e;
                }
            }
        }
    }

    private void stream(SseClient client, long id, OpenStreams.Slot slot) {
        RTopic topic = redis.client().getTopic(redis.keys().campaignEvents(id), StringCodec.INSTANCE);
        AtomicInteger listener = new AtomicInteger(-1);
        Runnable unsubscribe = () -> {
            int l = listener.getAndSet(-1);
            if (l >= 0) topic.removeListener(l);
        };
        OpenStreams.Stream stream = slot.open(client, unsubscribe);
        try {
            // A batch's events come as one message, one JSON object per line: one SSE event each.
            listener.set(topic.addListener(String.class, (channel, message) -> {
                for (String json : RedisLiveEvents.split(message)) stream.send(typeOf(json), json);
            }));
        } catch (RuntimeException e) {
            client.close(); // Redis unreachable: end the stream, give the slot back
            throw e;
        }
        if (client.terminated()) unsubscribe.run(); // it ended while we subscribed
        stream.comment("subscribed to campaign " + id);
        client.keepAlive();
    }

    /** The event's "type" field, which every publisher writes first. */
    static String typeOf(String json) {
        int key = json.indexOf("\"type\":\"");
        if (key < 0) return "message";
        int start = key + 8;
        return json.substring(start, json.indexOf('"', start));
    }
}
