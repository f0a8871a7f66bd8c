package dev.mailroom.db.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.core.port.LiveEvents;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.redisson.api.BatchOptions;
import org.redisson.api.RBatch;
import org.redisson.client.codec.StringCodec;

/**
 * Publishes campaign events as JSON on the campaign's channel; any web process can stream them. A call's
 * events go out as one ordered pipeline on one connection, so listeners see them in the order sent.
 */
public final class RedisLiveEvents implements LiveEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Redis redis;

    public RedisLiveEvents(Redis redis) {
        this.redis = redis;
    }

    @Override
    public void publish(long campaignId, List<Event> events) {
        if (events.isEmpty()) return;
        String channel = redis.keys().campaignEvents(campaignId);
        try {
            RBatch batch = redis.client().createBatch(BatchOptions.defaults());
            var topic = batch.getTopic(channel, StringCodec.INSTANCE);
            String at = Instant.now().toString();
            for (Event e : events) topic.publishAsync(json(campaignId, at, e));
            batch.execute();
        } catch (RuntimeException e) {
            // Live events are best effort; the database holds the truth.
        }
    }

    private static String json(long campaignId, String at, Event e) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", e.type()); // first, so a relay can read it without parsing
        event.put("campaign_id", campaignId);
        event.put("at", at);
        event.putAll(e.data());
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException x) {
            throw new IllegalArgumentException(x);
        }
    }
}
