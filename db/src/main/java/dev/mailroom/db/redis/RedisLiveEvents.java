package dev.mailroom.db.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.core.port.LiveEvents;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes campaign events as JSON on the campaign's channel; any web process can stream them. A call's
 * events (a batch's "sent"/"failed" and its summary) go out as ONE pub/sub message, one JSON object per
 * line, in the order given: one publish per batch rather than one per recipient. {@link #split} reads it.
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
        String at = Instant.now().toString();
        StringBuilder message = new StringBuilder(events.size() * 64);
        for (Event e : events) {
            if (!message.isEmpty()) message.append('\n');
            message.append(json(campaignId, at, e)); // JSON text never holds a raw newline
        }
        try {
            redis.publish(channel, message.toString());
        } catch (RuntimeException e) {
            // Live events are best effort; the database holds the truth.
        }
    }

    /** The events of one published message, one JSON object each, in order. */
    public static List<String> split(String message) {
        return message.lines().toList();
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
