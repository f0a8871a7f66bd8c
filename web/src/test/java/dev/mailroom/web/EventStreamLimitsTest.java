package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.core.secret.MetricsToken;
import dev.mailroom.db.redis.RedisLiveEvents;
import dev.mailroom.web.sse.StreamLimits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Event streams are capped per API key and per process (429 problem+json with Retry-After beyond), give
 * their slot back when they end, and close after a time with nothing to send — heartbeats do not count.
 */
class EventStreamLimitsTest extends WebTestBase {
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<HttpResponse<InputStream>> opened = new ArrayList<>();
    private WebApp app;

    private String start(StreamLimits limits) {
        app = WebApp.create(TestApp.deps(TestApp.csvLimits(), limits, MetricsToken.NONE)).start("127.0.0.1", 0);
        return "http://127.0.0.1:" + app.port();
    }

    @AfterEach
    void stop() {
        opened.forEach(r -> close(r.body()));
        if (app != null) app.stop();
    }

    private HttpResponse<InputStream> open(String base, long campaign, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/campaigns/" + campaign + "/events"))
                .header("Authorization", "Bearer " + key).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        opened.add(r);
        return r;
    }

    /** A stream over a plain socket, which the test can cut the way a vanished client would. */
    private Socket openRaw(long campaign, String key) throws IOException {
        Socket s = new Socket("127.0.0.1", app.port());
        s.getOutputStream().write(("GET /api/campaigns/" + campaign + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + key + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        assertThat(status).isEqualTo("HTTP/1.1 200 OK");
        return s;
    }

    private static String text(HttpResponse<InputStream> r) throws IOException {
        return new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Test
    void caps_streams_per_key_and_per_process_with_429_and_frees_a_slot_when_a_stream_ends() throws Exception {
        String base = start(new StreamLimits(2, 3, Duration.ofMinutes(10)));
        long campaign = createCampaign(createSender("main"), "ann@example.com");

        Socket first = openRaw(campaign, viewer);
        assertThat(open(base, campaign, viewer).statusCode()).isEqualTo(200);
        HttpResponse<InputStream> perKey = open(base, campaign, viewer);
        assertThat(perKey.statusCode()).isEqualTo(429);
        assertThat(perKey.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(perKey.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(text(perKey)).contains("\"status\":429", "this API key already holds 2 event streams");

        assertThat(open(base, campaign, operator).statusCode()).as("another key has its own share").isEqualTo(200);
        HttpResponse<InputStream> perProcess = open(base, campaign, admin);
        assertThat(perProcess.statusCode()).isEqualTo(429);
        assertThat(text(perProcess)).contains("this server already holds 3 event streams");

        // The client goes away: the server notices when a write to it fails (an event here; at the latest a
        // heartbeat), and its slot comes back.
        first.close();
        RedisLiveEvents events = new RedisLiveEvents(TestApp.redis());
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
            events.publish(campaign, "batch", Map.of("size", 1));
            return open(base, campaign, viewer).statusCode() == 200;
        });
    }

    @Test
    void closes_a_stream_with_nothing_to_send_despite_heartbeats() throws Exception {
        String base = start(new StreamLimits(1, 10, Duration.ofSeconds(2)));
        long campaign = createCampaign(createSender("main"), "ann@example.com");
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = open(base, campaign, viewer);
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> lines = readToEnd(r);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(lines.stream().filter(l -> l.startsWith(":") && l.contains("keep-alive")).count())
                .as("heartbeats were sent: %s", lines).isGreaterThanOrEqualTo(1);
        assertThat(ms).as("closed after the idle timeout, heartbeats notwithstanding").isBetween(1_900L, 10_000L);
        assertThat(open(base, campaign, viewer).statusCode()).as("its slot came back").isEqualTo(200);
    }

    @Test
    void a_stream_that_keeps_sending_events_stays_open_past_the_idle_timeout() throws Exception {
        String base = start(new StreamLimits(1, 10, Duration.ofSeconds(2)));
        long campaign = createCampaign(createSender("main"), "ann@example.com");
        HttpResponse<InputStream> r = open(base, campaign, viewer);
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                lines.addAll(readToEnd(r));
            } catch (IOException ignored) {
                // the test ends the stream
            }
        });
        RedisLiveEvents events = new RedisLiveEvents(TestApp.redis());
        // The 200 may come before the server subscribed; an event published before that is nobody's.
        var channel = TestApp.redis().client().getTopic(TestApp.redis().keys().campaignEvents(campaign));
        await().atMost(Duration.ofSeconds(5)).until(() -> channel.countSubscribers() > 0);
        long t0 = System.nanoTime();
        for (int i = 0; i < 10; i++) { // 5 s of events, one every 500 ms
            events.publish(campaign, "sent", Map.of("recipient_id", i));
            Thread.sleep(500);
        }
        assertThat(reader.isAlive()).as("still open %d ms after it opened", (System.nanoTime() - t0) / 1_000_000).isTrue();
        reader.join(Duration.ofSeconds(10));
        assertThat(reader.isAlive()).as("closed once the events stopped").isFalse();
        assertThat(lines.stream().filter(l -> l.startsWith("event:")).count()).isEqualTo(10);
    }

    /** Every line of the stream until the server ends it. */
    private static List<String> readToEnd(HttpResponse<InputStream> r) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) lines.add(line);
        }
        return lines;
    }
}
