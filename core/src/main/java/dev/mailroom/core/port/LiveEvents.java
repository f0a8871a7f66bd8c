package dev.mailroom.core.port;

import java.util.Map;

/** Live campaign events (batch, sent, failed, deferred, status) for whoever listens. Best effort. */
public interface LiveEvents {
    void publish(long campaignId, String type, Map<String, Object> data);
}
