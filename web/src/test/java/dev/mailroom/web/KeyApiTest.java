package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.web.auth.ApiKeys;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /api/keys: create (shown once, optional expiry), list (never the key or its hash), revoke. */
class KeyApiTest extends WebTestBase {

    @Test
    void creates_a_key_with_an_expiry_and_lists_every_key_without_its_secret_or_hash() {
        Instant expires = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Api.Res created = Api.post("/api/keys", admin, "{\"name\": \"ci\", \"role\": \"operator\", \"expires_at\": \"" + expires + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.get("expires_at").asText()).isEqualTo(expires.toString());
        String key = created.get("key").asText();
        assertThat(Api.get("/api/campaigns", key).status()).isEqualTo(200);

        Api.Res list = Api.get("/api/keys", admin);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        JsonNode ci = item(list, created.get("id").asLong());
        assertThat(ci.get("name").asText()).isEqualTo("ci");
        assertThat(ci.get("role").asText()).isEqualTo("operator");
        assertThat(ci.get("expires_at").asText()).isEqualTo(expires.toString());
        assertThat(ci.get("created_at").asText()).isNotBlank();
        assertThat(ci.has("last_used_at")).isTrue();
        assertThat(ci.get("revoked_at").isNull()).isTrue();
        assertThat(ci.has("key")).isFalse();
        assertThat(ci.has("key_hash")).isFalse();
        assertThat(list.get("items")).hasSize(4);
        for (String secret : List.of(key, admin, operator, viewer)) {
            assertThat(list.text()).doesNotContain(secret).doesNotContain(ApiKeys.hash(secret));
        }
    }

    @Test
    void pages_through_the_keys_with_a_cursor() {
        for (int i = 0; i < 3; i++) Api.post("/api/keys", admin, "{\"name\": \"k" + i + "\", \"role\": \"viewer\"}");
        List<Long> ids = new ArrayList<>();
        String cursor = null;
        do {
            Api.Res page = Api.get("/api/keys?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), admin);
            page.get("items").forEach(i -> ids.add(i.get("id").asLong()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
        } while (cursor != null);
        assertThat(ids).hasSize(6).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void refuses_an_expiry_that_is_not_a_future_time_and_writes_nothing() {
        int before = dsl().fetchCount(API_KEY);
        for (String expiry : List.of("\"2020-01-01T00:00:00Z\"", "\"tomorrow\"", "\"2030-01-01T00:00:00\"")) {
            Api.Res r = Api.post("/api/keys", admin, "{\"name\": \"ci\", \"role\": \"viewer\", \"expires_at\": " + expiry + "}");
            assertThat(r.status()).as(expiry + " → " + r).isEqualTo(400);
            assertThat(r.get("errors").get(0).get("field").asText()).isEqualTo("expires_at");
        }
        assertThat(Api.post("/api/keys", admin, "{\"name\": \"ci\", \"role\": \"viewer\", \"expires_at\": 1}").status())
                .isEqualTo(400);
        assertThat(dsl().fetchCount(API_KEY)).isEqualTo(before);
    }

    @Test
    void a_revoked_key_is_refused_with_401_and_listed_as_revoked() {
        long id = keyId(viewer);
        assertThat(Api.get("/api/me", viewer).status()).isEqualTo(200);
        Api.Res revoked = Api.delete("/api/keys/" + id, admin);
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);

        Api.Res refused = Api.get("/api/me", viewer);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.get("detail").asText()).contains("revoked");
        assertThat(item(Api.get("/api/keys", admin), id).get("revoked_at").asText()).isNotBlank();
        assertThat(Api.delete("/api/keys/" + id, admin).status()).as("revoking again is harmless").isEqualTo(204);
        assertThat(Api.get("/api/me", operator).status()).as("other keys unaffected").isEqualTo(200);
    }

    @Test
    void revoking_an_unknown_key_is_404_and_only_admins_manage_keys() {
        assertThat(Api.delete("/api/keys/999999", admin).status()).isEqualTo(404);
        assertThat(Api.delete("/api/keys/x", admin).status()).isEqualTo(400);
        assertThat(Api.delete("/api/keys/" + keyId(viewer), operator).status()).isEqualTo(403);
        assertThat(Api.get("/api/keys", operator).status()).isEqualTo(403);
        assertThat(Api.get("/api/keys", viewer).status()).isEqualTo(403);
        assertThat(Api.get("/api/me", viewer).status()).isEqualTo(200);
    }

    @Test
    void an_admin_may_revoke_its_own_key_but_never_the_last_usable_admin_key() {
        long first = keyId(admin);
        Api.Res last = Api.delete("/api/keys/" + first, admin);
        assertThat(last.status()).as(last.toString()).isEqualTo(409);
        assertThat(last.get("detail").asText()).contains("last usable admin key");
        assertThat(Api.get("/api/me", admin).status()).isEqualTo(200);

        String second = Api.post("/api/keys", admin, "{\"name\": \"second admin\", \"role\": \"admin\"}").get("key").asText();
        assertThat(Api.delete("/api/keys/" + first, admin).status()).as("its own key").isEqualTo(204);
        assertThat(Api.get("/api/me", admin).status()).isEqualTo(401);
        assertThat(Api.delete("/api/keys/" + keyId(second), second).status()).isEqualTo(409);
        assertThat(Api.get("/api/me", second).status()).isEqualTo(200);
    }

    @Test
    void an_expired_admin_key_does_not_count_as_the_admin_that_remains() {
        long first = keyId(admin);
        dsl().insertInto(API_KEY, API_KEY.NAME, API_KEY.ROLE, API_KEY.KEY_HASH, API_KEY.EXPIRES_AT)
                .values("expired admin", "admin", ApiKeys.hash(ApiKeys.generate()),
                        java.time.OffsetDateTime.now().minusMinutes(1)).execute();
        assertThat(Api.delete("/api/keys/" + first, admin).status()).isEqualTo(409);
    }

    private static long keyId(String key) {
        return dsl().select(API_KEY.ID).from(API_KEY).where(API_KEY.KEY_HASH.eq(ApiKeys.hash(key))).fetchOne(API_KEY.ID);
    }

    private static JsonNode item(Api.Res list, long id) {
        for (JsonNode i : list.get("items")) if (i.get("id").asLong() == id) return i;
        throw new AssertionError("key " + id + " not listed: " + list);
    }
}
