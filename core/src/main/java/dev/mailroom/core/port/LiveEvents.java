package dev.mailroom.core.port;

import java.util.List;
import java.util.Map;

/** Live campaign events (batch, sent, failed, deferred, status) for whoever listens. Best effort, in order. */
public interface LiveEvents {
    record Event(String type, Map<String, Object> data) {}

    void publish(long campaignId, List<Event> events);

    default void publish(long campaignId, String type, Map<String, Object> data) {
        publish(campaignId, List.of(new Event(type, data)));
    }
}
