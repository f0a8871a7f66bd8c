package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailroom.testkit.SettableClock;
import dev.mailroom.web.auth.ApiKeys;
import dev.mailroom.web.auth.AuthSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Expiry and {@code last_used_at}, on web processes whose clock the test moves. */
class KeyClockTest extends WebTestBase {
    private static final Instant T0 = Instant.parse("2031-03-01T10:00:00Z");

    @Test
    void a_key_works_until_its_expiry_and_is_refused_as_expired_after_it() {
        SettableClock clock = new SettableClock(T0);
        try (WebProcess web = new WebProcess(clock, AuthSettings.DEFAULT)) {
            Api.Res created = web.post("/api/keys", admin,
                    "{\"name\": \"temp\", \"role\": \"viewer\", \"expires_at\": \"" + T0.plusSeconds(3600) + "\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String key = created.get("key").asText();
            assertThat(web.get("/api/me", key).status()).isEqualTo(200);

            clock.advance(Duration.ofMinutes(59));
            assertThat(web.get("/api/me", key).status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(1));
            Api.Res refused = web.get("/api/me", key);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.get("detail").asText()).contains("expired");
            assertThat(web.get("/api/me", viewer).status()).as("keys without expiry unaffected").isEqualTo(200);
        }
    }

    @Test
    void last_used_at_is_written_at_most_once_a_minute_per_key_across_processes() {
        SettableClock clock = new SettableClock(T0);
        try (WebProcess a = new WebProcess(clock, AuthSettings.DEFAULT);
             WebProcess b = new WebProcess(clock, AuthSettings.DEFAULT)) {
            assertThat(lastUsed(viewer)).isNull();
            assertThat(a.get("/api/me", viewer).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> T0.equals(lastUsed(viewer)));

            clock.advance(Duration.ofSeconds(30));
            assertThat(a.get("/api/me", viewer).status()).as("same process, within the minute").isEqualTo(200);
            clock.advance(Duration.ofSeconds(10));
            assertThat(b.get("/api/me", viewer).status()).as("another process, within the minute").isEqualTo(200);
            // Written off the request's path, so give a write that should not happen the time to show.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> T0.equals(lastUsed(viewer)));

            clock.advance(Duration.ofSeconds(21));
            assertThat(a.get("/api/me", viewer).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> T0.plusSeconds(61).equals(lastUsed(viewer)));
            assertThat(lastUsed(operator)).as("only the key used").isNull();
            for (var item : b.get("/api/keys", admin).get("items")) {
                if (item.get("name").asText().equals("test viewer")) {
                    assertThat(item.get("last_used_at").asText()).isEqualTo(T0.plusSeconds(61).toString());
                }
            }
        }
    }

    private static Instant lastUsed(String key) {
        OffsetDateTime t = dsl().select(API_KEY.LAST_USED_AT).from(API_KEY).where(API_KEY.KEY_HASH.eq(ApiKeys.hash(key)))
                .fetchOne(API_KEY.LAST_USED_AT);
        return t == null ? null : Objects.requireNonNull(t).toInstant();
    }
}
