package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A sender's test_reserve_per_hour: 0 by default, below hourly_limit, on create and PATCH, shown in its views. */
class SenderTestReserveApiTest extends WebTestBase {

    private static void assertRefusedFor(Api.Res r, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.get("errors")).hasSize(1);
        assertThat(r.get("errors").get(0).get("field").asText()).isEqualTo(field);
    }

    @Test
    void the_reserve_is_0_unless_given_and_is_shown_in_every_sender_view() {
        long plain = createSender("plain");
        assertThat(Api.get("/api/senders/" + plain, viewer).get("test_reserve_per_hour").asInt()).isZero();

        var body = senderBody("reserved");
        body.put("test_reserve_per_hour", 5);
        Api.Res created = Api.post("/api/senders", admin, Api.json(body));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.get("test_reserve_per_hour").asInt()).isEqualTo(5);
        long id = created.get("id").asLong();
        assertThat(Api.get("/api/senders/" + id, viewer).get("test_reserve_per_hour").asInt()).isEqualTo(5);
        assertThat(Api.get("/api/senders", viewer).get("items").findValues("test_reserve_per_hour"))
                .extracting(n -> n.asInt()).containsExactlyInAnyOrder(0, 5);
    }

    @Test
    void a_reserve_not_below_the_hourly_limit_is_a_400_naming_it_and_nothing_is_written() {
        var body = senderBody("main");
        body.put("test_reserve_per_hour", 100); // hourly_limit is 100
        assertRefusedFor(Api.post("/api/senders", admin, Api.json(body)), "test_reserve_per_hour");
        body.put("test_reserve_per_hour", -1);
        assertRefusedFor(Api.post("/api/senders", admin, Api.json(body)), "test_reserve_per_hour");
        assertThat(dsl().fetchCount(SENDER)).isZero();

        body.put("test_reserve_per_hour", 99);
        assertThat(Api.post("/api/senders", admin, Api.json(body)).status()).isEqualTo(201);
    }

    @Test
    void a_patch_sets_the_reserve_and_one_that_would_leave_it_at_or_above_the_limit_is_refused() {
        long id = createSender("main");
        String one = "/api/senders/" + id;
        Api.Res set = Api.patch(one, admin, "{\"test_reserve_per_hour\": 20}");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.get("test_reserve_per_hour").asInt()).isEqualTo(20);

        assertRefusedFor(Api.patch(one, admin, "{\"hourly_limit\": 20}"), "test_reserve_per_hour");
        assertRefusedFor(Api.patch(one, admin, "{\"test_reserve_per_hour\": 150}"), "test_reserve_per_hour");
        List<Integer> stored = dsl().select(SENDER.HOURLY_LIMIT, SENDER.TEST_RESERVE_PER_HOUR).from(SENDER)
                .where(SENDER.ID.eq(id)).fetchOne(r -> List.of(r.value1(), r.value2()));
        assertThat(stored).as("nothing written").containsExactly(100, 20);

        Api.Res both = Api.patch(one, admin, "{\"hourly_limit\": 20, \"test_reserve_per_hour\": 4}");
        assertThat(both.status()).as(both.toString()).isEqualTo(200);
        assertThat(both.get("hourly_limit").asInt()).isEqualTo(20);
        assertThat(both.get("test_reserve_per_hour").asInt()).isEqualTo(4);
        assertThat(Api.patch(one, admin, "{\"test_reserve_per_hour\": 0}").get("test_reserve_per_hour").asInt()).isZero();
    }
}
