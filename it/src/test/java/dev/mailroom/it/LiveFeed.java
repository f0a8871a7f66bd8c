package dev.mailroom.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A campaign's live events as the console gets them (GET /api/campaigns/{id}/events, server-sent events):
 * the worker's "batch" once a batch is recorded and "status" once it lets the campaign go. Tests wait on
 * these, not on wall-clock time.
 */
final class LiveFeed implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InputStream body;
    private final BufferedReader in;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();

    private LiveFeed(InputStream body, BufferedReader in) {
        this.body = body;
        this.in = in;
        Thread.ofVirtual().name("live-feed").start(this::read);
    }

    static LiveFeed open(HttpRequest request) {
        try {
            HttpResponse<InputStream> res = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (res.statusCode() != 200) throw new AssertionError("event stream answered " + res.statusCode());
            BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8));
            String first = in.readLine(); // the subscription comment: from here on nothing is missed
            if (first == null || !first.contains("subscribed")) throw new AssertionError("no subscription: " + first);
            return new LiveFeed(res.body(), in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("data:")) events.add(JSON.readTree(line.substring(5).trim()));
            }
        } catch (IOException e) {
            // closed by the test or the server
        }
    }

    List<JsonNode> ofType(String type) {
        return events.stream().filter(e -> type.equals(e.path("type").asText())).toList();
    }

    /** Waits until the worker published {@code status}, e.g. "paused" once it let the campaign go. */
    void awaitStatus(String status, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> ofType("status").stream()
                .anyMatch(e -> status.equals(e.path("status").asText())));
    }

    /** Recipients the worker recorded as sent, summed over its "batch" events. */
    int sentInBatches() {
        return ofType("batch").stream().mapToInt(e -> e.path("sent").asInt()).sum();
    }

    @Override
    public void close() {
        try {
            body.close(); // not the reader: its lock is held by the blocked readLine until the next event
        } catch (IOException ignored) {
            // already closed
        }
    }
}
