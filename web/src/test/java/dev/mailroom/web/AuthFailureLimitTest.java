package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.web.auth.AuthSettings;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Failed authentications are limited per client address, across web processes (the count is in Redis):
 * past the limit a bad or missing key gets 429 with Retry-After; a valid key from the same address never does.
 */
class AuthFailureLimitTest extends WebTestBase {
    private static final AuthSettings THREE_IN_TWO_SECONDS = new AuthSettings(3, Duration.ofSeconds(2), Duration.ofSeconds(60));

    @Test
    void after_the_limit_a_bad_key_gets_429_with_retry_after_until_the_window_ends() throws Exception {
        try (WebProcess web = new WebProcess(Clock.systemUTC(), THREE_IN_TWO_SECONDS)) {
            for (int i = 0; i < 3; i++) assertThat(web.get("/api/me", "mr_guess-" + i).status()).isEqualTo(401);
            Api.Res limited = web.get("/api/me", "mr_guess-3");
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.contentType()).startsWith("application/problem+json");
            assertThat(limited.get("status").asInt()).isEqualTo(429);
            assertThat(Integer.parseInt(limited.retryAfter())).isBetween(1, 2);
            assertThat(web.get("/api/me", null).status()).as("a missing key too").isEqualTo(429);

            await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(200))
                    .until(() -> web.get("/api/me", "mr_after-window").status() == 401);
        }
    }

    @Test
    void a_valid_key_from_a_limited_address_keeps_working_and_resets_nothing() {
        try (WebProcess web = new WebProcess(Clock.systemUTC(), THREE_IN_TWO_SECONDS)) {
            for (int i = 0; i < 4; i++) web.get("/api/me", "mr_guess-" + i);
            assertThat(web.get("/api/me", "mr_guess").status()).isEqualTo(429);
            assertThat(web.get("/api/me", viewer).status()).isEqualTo(200);
            assertThat(web.get("/api/keys", viewer).status()).as("a weak role is a 403, not counted").isEqualTo(403);
            assertThat(web.get("/api/me", "mr_guess").status()).as("still limited").isEqualTo(429);
        }
    }

    @Test
    void the_limit_is_per_client_address_and_shared_by_web_processes() throws Exception {
        try (WebProcess one = new WebProcess(Clock.systemUTC(), THREE_IN_TWO_SECONDS);
             WebProcess two = new WebProcess(Clock.systemUTC(), THREE_IN_TWO_SECONDS)) {
            for (int i = 0; i < 3; i++) assertThat(one.get("/api/me", "mr_guess-" + i).status()).isEqualTo(401);
            assertThat(two.get("/api/me", "mr_guess").status()).as("counted in Redis").isEqualTo(429);
            assertThat(two.getFrom(InetAddress.getByName("127.0.0.2"), "/api/me", "mr_guess").status())
                    .as("another address").isEqualTo(401);
        }
    }

    @Test
    void the_default_limit_is_twenty_failures_a_minute() {
        for (int i = 0; i < 20; i++) assertThat(Api.get("/api/me", "mr_guess-" + i).status()).isEqualTo(401);
        Api.Res limited = Api.get("/api/me", "mr_guess-20");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(Integer.parseInt(limited.retryAfter())).isBetween(1, 60);
        assertThat(Api.get("/api/me", operator).status()).isEqualTo(200);
    }
}
