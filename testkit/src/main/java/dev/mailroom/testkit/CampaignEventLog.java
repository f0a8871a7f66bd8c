package dev.mailroom.testkit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A campaign's live events as a test heard them — from Redis, or from the web's event stream: "batch"
 * once a batch's outcomes are recorded, "status" when the worker lets go of the campaign. Tests wait on
 * these, not on wall-clock time.
 */
public class CampaignEventLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> events = new CopyOnWriteArrayList<>();

    /** One event's JSON, as published. */
    protected final void heard(String json) {
        try {
            events.add(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<JsonNode> ofType(String type) {
        return events.stream().filter(e -> type.equals(e.path("type").asText())).toList();
    }

    /** Waits until the worker published {@code status}, e.g. "paused" once it let the campaign go. */
    public void awaitStatus(String status, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> ofType("status").stream()
                .anyMatch(e -> status.equals(e.path("status").asText())));
    }

    /** Recipients the worker recorded as sent, summed over its "batch" events. */
    public int sentInBatches() {
        return ofType("batch").stream().mapToInt(e -> e.path("sent").asInt()).sum();
    }
}
