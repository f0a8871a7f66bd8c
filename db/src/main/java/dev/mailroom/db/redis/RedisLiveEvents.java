package dev.mailroom.db.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.core.port.LiveEvents;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.redisson.client.codec.StringCodec;

/** Publishes campaign events as JSON on the campaign's channel; any web process can stream them. */
public final class RedisLiveEvents implements LiveEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Redis redis;

    public RedisLiveEvents(Redis redis) {
        this.redis = redis;
    }

    @Override
    public void publish(long campaignId, String type, Map<String, Object> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("campaign_id", campaignId);
        event.put("at", Instant.now().toString());
        event.putAll(data);
        try {
            redis.client().getTopic(redis.keys().campaignEvents(campaignId), StringCodec.INSTANCE)
                    .publishAsync(JSON.writeValueAsString(event)); // never wait on Redis for a live event
        } catch (JsonProcessingException | RuntimeException e) {
            // Live events are best effort; the database holds the truth.
        }
    }
}
