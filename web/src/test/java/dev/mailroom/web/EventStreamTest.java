package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.port.LiveEvents;
import dev.mailroom.db.redis.RedisLiveEvents;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventStreamTest extends WebTestBase {

    @Test
    void streams_a_campaigns_events_in_order_as_server_sent_events() throws Exception {
        long campaign = createCampaign(createSender("main"), "ann@example.com");
        HttpRequest request = HttpRequest.newBuilder(URI.create(TestApp.base() + "/api/campaigns/" + campaign + "/events"))
                .header("Authorization", "Bearer " + viewer).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            in.readLine(); // the subscription comment: from here on we are listening
            RedisLiveEvents events = new RedisLiveEvents(TestApp.redis());
            // A batch's events travel as one pub/sub message and come out as one SSE event each.
            events.publish(campaign, List.of(new LiveEvents.Event("sent", Map.of("recipient_id", 1)),
                    new LiveEvents.Event("sent", Map.of("recipient_id", 2)), new LiveEvents.Event("batch", Map.of("size", 2))));
            events.publish(campaign, "status", Map.of("status", "sent"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (lines.stream().filter(l -> l.startsWith("data:")).count() < 4 && System.nanoTime() < deadline) {
                String line = in.readLine();
                if (line == null) break;
                lines.add(line);
            }
        }
        assertThat(lines.stream().filter(l -> l.startsWith("event:")).map(String::trim).toList())
                .containsExactly("event: sent", "event: sent", "event: batch", "event: status");
        assertThat(lines.stream().filter(l -> l.startsWith("data:")).toList().get(1)).contains("\"recipient_id\":2");
        assertThat(lines.stream().filter(l -> l.startsWith("data:")).toList().get(3)).contains("\"status\":\"sent\"");
    }

    @Test
    void answers_a_plain_get_or_an_unknown_campaign_with_problem_json() {
        long campaign = createCampaign(createSender("main"), "ann@example.com");
        Api.Res plain = Api.get("/api/campaigns/" + campaign + "/events", viewer);
        assertThat(plain.status()).isEqualTo(406);
        assertThat(plain.contentType()).startsWith("application/problem+json");
        assertThat(Api.get("/api/campaigns/999/events", viewer).status()).isEqualTo(404);
        assertThat(Api.get("/api/campaigns/" + campaign + "/events", null).status()).isEqualTo(401);
    }
}
