package dev.mailroom.web.api;

import dev.mailroom.core.error.NotFound;
import dev.mailroom.db.postgres.JooqCampaignReads;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisLiveEvents;
import dev.mailroom.web.error.HttpFailure;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;

/**
 * {@code GET /api/campaigns/{id}/events}: the campaign's live events as Server-Sent Events, relayed from
 * the Redis channel every worker publishes to, so any web process can serve any campaign.
 */
public final class EventStreamController {
    private final Redis redis;
    private final JooqCampaignReads campaigns;

    public EventStreamController(Redis redis, JooqCampaignReads campaigns) {
        this.redis = redis;
        this.campaigns = campaigns;
    }

    /** Checked before the stream opens, so an unknown campaign or a plain GET gets a proper problem+json. */
    public void handle(Context ctx) throws Exception {
        long id = Requests.id(ctx, "id");
        if (campaigns.find(id).isEmpty()) throw new NotFound("campaign", id);
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new HttpFailure(406, "not-acceptable", "Not Acceptable", "this is an event stream: send Accept: text/event-stream");
        }
        new SseHandler(client -> stream(client, id)).handle(ctx);
    }

    private void stream(SseClient client, long id) {
        RTopic topic = redis.client().getTopic(redis.keys().campaignEvents(id), StringCodec.INSTANCE);
        int listener = topic.addListener(String.class, (channel, message) -> {
            for (String json : RedisLiveEvents.split(message)) {
                if (!client.terminated()) client.sendEvent(typeOf(json), json);
            }
        });
        client.onClose(() -> topic.removeListener(listener));
        client.sendComment("subscribed to campaign " + id);
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
