package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.web.auth.ApiKeys;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Verified keys are cached briefly by hash; a key gone from the store is refused within one second (API.md). */
class ApiKeyCacheTest extends WebTestBase {

    @Test
    void a_key_removed_from_the_store_is_refused_within_one_second() {
        assertThat(Api.get("/api/me", viewer).status()).isEqualTo(200);
        long removedAt = System.nanoTime();
        assertThat(dsl().deleteFrom(API_KEY).where(API_KEY.KEY_HASH.eq(ApiKeys.hash(viewer))).execute()).isEqualTo(1);
        await().atMost(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(50))
                .until(() -> Api.get("/api/me", viewer).status() == 401);
        assertThat(Duration.ofNanos(System.nanoTime() - removedAt)).isLessThan(Duration.ofMillis(1500));
        assertThat(Api.get("/api/me", operator).status()).as("other keys unaffected").isEqualTo(200);
    }
}
