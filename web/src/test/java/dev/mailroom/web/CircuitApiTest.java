package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.circuit.CircuitBreakers;
import dev.mailroom.core.circuit.CircuitRule;
import dev.mailroom.db.postgres.JooqDomainHistory;
import dev.mailroom.db.redis.Redis;
import dev.mailroom.db.redis.RedisCircuitBreakers;
import dev.mailroom.db.redis.RedisConfig;
import dev.mailroom.testkit.TestServices;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** I16 in the API: ops see each open route, and an operator closes one by hand. */
class CircuitApiTest extends WebTestBase {

    @Test
    void I16_lists_open_routes_per_sender_and_closes_one_by_hand() {
        long sender = createSender("main");
        long other = createSender("other");
        try (Redis redis = Redis.connect(new RedisConfig(TestServices.redisUrl(), TestServices.redisPrefix()), 30_000)) {
            CircuitBreakers breakers = new RedisCircuitBreakers(redis, new JooqDomainHistory(dsl()), CircuitRule.DEFAULT);
            Set<Long> refused = new HashSet<>();
            for (long r = 1; r <= 20; r++) refused.add(r);
            breakers.record(sender, Map.of("down.example",
                    new CircuitBreakers.RouteResults(Set.of(), refused, "554 5.7.1 Message rejected as spam")), Instant.now());
        }

        Api.Res list = Api.get("/api/circuits", viewer);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.get("items")).hasSize(1);
        var c = list.get("items").get(0);
        assertThat(c.get("sender_id").asLong()).isEqualTo(sender);
        assertThat(c.get("domain").asText()).isEqualTo("down.example");
        assertThat(c.get("state").asText()).isEqualTo("open");
        assertThat(c.get("failure_rate").asDouble()).isEqualTo(1.0);
        assertThat(c.get("attempts").asInt()).isEqualTo(20);
        assertThat(c.get("last_reply").asText()).isEqualTo("554 5.7.1 Message rejected as spam");
        assertThat(Instant.parse(c.get("until").asText())).isAfter(Instant.now());
        assertThat(Api.get("/api/circuits?sender_id=" + other, viewer).get("items")).isEmpty();

        assertThat(Api.delete("/api/circuits/" + sender + "/down.example", viewer).status()).isEqualTo(403);
        assertThat(Api.delete("/api/circuits/" + sender + "/down.example", operator).status()).isEqualTo(204);
        assertThat(Api.get("/api/circuits", viewer).get("items")).isEmpty();
        Api.Res again = Api.delete("/api/circuits/" + sender + "/down.example", operator);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(Api.delete("/api/circuits/x/down.example", operator).status()).isEqualTo(400);
    }
}
