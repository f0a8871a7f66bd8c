package dev.mailroom.worker;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mailroom.db.redis.Redis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.redisson.api.RTopic;
import org.redisson.client.codec.StringCodec;

/**
 * The live events a worker publishes for one campaign, as the web tier relays them over SSE: "batch"
 * once a batch's outcomes are recorded, "status" when the worker lets go of the campaign (paused,
 * cancelled, finished), "deferred". Tests wait for these instead of for wall-clock time: a worker
 * publishes "status" only after every lane of its last batch returned, so what the SMTP server holds
 * at that moment is all the worker will ever send for that run.
 */
final class CampaignEvents implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RTopic topic;
    private final int listener;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();

    private CampaignEvents(Redis redis, long campaignId) {
        this.topic = redis.client().getTopic(redis.keys().campaignEvents(campaignId), StringCodec.INSTANCE);
        this.listener = topic.addListener(String.class, (channel, json) -> events.add(parse(json)));
    }

    /** Subscribed when this returns, so start following before the worker starts. */
    static CampaignEvents follow(Redis redis, long campaignId) {
        return new CampaignEvents(redis, campaignId);
    }

    List<JsonNode> ofType(String type) {
        return events.stream().filter(e -> type.equals(e.path("type").asText())).toList();
    }

    /** Waits until the worker has published {@code status} (e.g. "paused" once it let the campaign go). */
    void awaitStatus(String status, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> ofType("status").stream()
                .anyMatch(e -> status.equals(e.path("status").asText())));
    }

    /** Recipients the worker recorded as sent, summed over its "batch" events. */
    int sentInBatches() {
        return ofType("batch").stream().mapToInt(e -> e.path("sent").asInt()).sum();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        topic.removeListener(listener);
    }
}
