package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.web.auth.ApiKeys;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * A revoked key is refused by every web process within one second (API.md), although each caches key
 * lookups for a minute: revocation clears the caches over Redis pub/sub, and a process that may have missed
 * the message clears its cache when its subscription comes back.
 */
class KeyRevocationTest extends WebTestBase {

    @Test
    void a_key_revoked_through_one_web_process_is_refused_by_another_within_one_second() {
        try (WebProcess other = new WebProcess()) {
            assertThat(other.get("/api/me", viewer).status()).isEqualTo(200); // cached there now
            assertThat(Api.get("/api/me", viewer).status()).isEqualTo(200);

            long revokedAt = System.nanoTime();
            assertThat(Api.delete("/api/keys/" + keyId(viewer), admin).status()).isEqualTo(204);
            assertThat(Api.get("/api/me", viewer).status()).as("the revoking process, at once").isEqualTo(401);
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> other.get("/api/me", viewer).status() == 401);
            assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(1));
            assertThat(other.get("/api/me", viewer).get("detail").asText()).contains("revoked");
            assertThat(other.get("/api/me", operator).status()).as("other keys unaffected").isEqualTo(200);
        }
    }

    @Test
    void a_process_whose_redis_connection_dropped_forgets_its_cached_keys_when_it_resubscribes() throws Exception {
        try (WebProcess other = new WebProcess()) {
            assertThat(other.get("/api/me", viewer).status()).isEqualTo(200);
            // A revocation whose message never reached the process (as if it came while it was disconnected):
            dsl().update(API_KEY).set(API_KEY.REVOKED_AT, OffsetDateTime.now())
                    .where(API_KEY.KEY_HASH.eq(ApiKeys.hash(viewer))).execute();
            assertThat(other.get("/api/me", viewer).status()).as("still cached").isEqualTo(200);

            assertThat(RedisConnections.cut(other.redisClientName)).isPositive();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> other.get("/api/me", viewer).status() == 401);
            assertThat(other.get("/api/me", operator).status()).isEqualTo(200);
        }
    }

    private static long keyId(String key) {
        return dsl().select(API_KEY.ID).from(API_KEY).where(API_KEY.KEY_HASH.eq(ApiKeys.hash(key))).fetchOne(API_KEY.ID);
    }
}
