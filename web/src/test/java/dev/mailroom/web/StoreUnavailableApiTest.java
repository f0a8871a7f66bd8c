package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.testkit.TcpProxy;
import dev.mailroom.testkit.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A store that does not answer is the server's trouble, not a bug and not the client's: 503 problem+json with a
 * Retry-After, then the same request works once the store is back. Seen in a chaos run: a Redis read that timed
 * out on a loaded machine answered GET /api/circuits with a 500.
 */
class StoreUnavailableApiTest extends WebTestBase {

    @Test
    void a_redis_that_does_not_answer_gives_503_with_retry_after_and_the_next_request_works_when_it_is_back() throws Exception {
        long sender = createSender("main");
        URI redisUri = URI.create(TestServices.redisUrl());
        try (TcpProxy proxy = TcpProxy.to(redisUri.getHost(), redisUri.getPort() < 0 ? 6379 : redisUri.getPort())) {
            String proxied = "redis://127.0.0.1:" + proxy.port() + redisUri.getPath();
            try (Redis redis = Redis.connect(new RedisConfig(proxied, TestServices.redisPrefix()), 30_000)) {
                WebApp app = WebApp.create(TestApp.deps(redis)).start("127.0.0.1", 0);
                try {
                    HttpClient http = HttpClient.newHttpClient();
                    HttpRequest circuits = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/circuits?sender_id=" + sender))
                            .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + viewer).GET().build();
                    assertThat(http.send(circuits, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

                    proxy.down();
                    HttpResponse<String> down = http.send(circuits, HttpResponse.BodyHandlers.ofString());
                    assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
                    assertThat(down.headers().firstValue("Content-Type")).hasValueSatisfying(
                            t -> assertThat(t).startsWith("application/problem+json"));
                    assertThat(down.headers().firstValue("Retry-After")).hasValue("2");
                    JsonNode problem = Api.JSON.readTree(down.body());
                    assertThat(problem.path("type").asText()).isEqualTo("/problems/unavailable");
                    assertThat(problem.path("detail").asText()).isEqualTo("Redis did not answer; try again in a few seconds");

                    proxy.up();
                    assertThat(http.send(circuits, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                } finally {
                    app.stop();
                }
            }
        }
    }
}
