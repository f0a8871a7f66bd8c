package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CONNECTION_TEST;
import static dev.mailroom.db.generated.Tables.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * "Test connection" through the queue (I1): the web tier queues it and serves its result; a worker's result
 * and a worker's record of the relay are written here in SQL, as the web module has no worker.
 */
class ConnectionTestApiTest extends WebTestBase {

    @Test
    void an_operator_queues_a_test_and_reads_its_named_result() {
        long sender = createSender("main");
        String tests = "/api/senders/" + sender + "/connection-tests";

        Api.Res queued = Api.post(tests, operator, "");
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        assertThat(queued.get("status").asText()).isEqualTo("queued");
        long id = queued.get("id").asLong();
        Api.Res waiting = Api.get(tests + "/" + id, viewer);
        assertThat(waiting.get("status").asText()).isEqualTo("queued");
        assertThat(waiting.get("fault").isNull()).isTrue();
        assertThat(waiting.get("tested_at").isNull()).isTrue();

        // What the worker serving the sender writes.
        dsl().update(CONNECTION_TEST).set(CONNECTION_TEST.STATUS, "failed").set(CONNECTION_TEST.FAULT, "auth_refused")
                .set(CONNECTION_TEST.DETAIL, "The mail server refused this sender's username or password: 535 5.7.8 authentication failed.")
                .set(CONNECTION_TEST.TESTED_AT, OffsetDateTime.now()).where(CONNECTION_TEST.ID.eq(id)).execute();
        Api.Res done = Api.get(tests + "/" + id, viewer);
        assertThat(done.get("status").asText()).isEqualTo("failed");
        assertThat(done.get("fault").asText()).isEqualTo("auth_refused");
        assertThat(done.get("detail").asText()).contains("535 5.7.8");
        assertThat(done.get("sender_id").asLong()).isEqualTo(sender);
    }

    @Test
    void a_viewer_cannot_queue_one_a_field_is_named_and_unknown_ids_are_404() {
        long sender = createSender("main");
        String tests = "/api/senders/" + sender + "/connection-tests";
        assertThat(Api.post(tests, viewer, "").status()).isEqualTo(403);
        assertThat(Api.post(tests, operator, "{}").status()).as("an empty object is no body").isEqualTo(202);
        Api.Res named = Api.post(tests, operator, "{\"host\": \"elsewhere.example.com\"}");
        assertThat(named.status()).isEqualTo(400);
        assertThat(named.get("errors").get(0).get("field").asText()).isEqualTo("host");
        assertThat(Api.post(tests, operator, "{not json").status()).isEqualTo(400);
        assertThat(dsl().fetchCount(CONNECTION_TEST)).as("nothing written for a bad request").isEqualTo(1);

        assertThat(Api.post("/api/senders/999999/connection-tests", operator, "").status()).isEqualTo(404);
        long other = createSender("other");
        long id = Api.post(tests, operator, "").get("id").asLong();
        assertThat(Api.get("/api/senders/" + other + "/connection-tests/" + id, viewer).status())
                .as("another sender's test").isEqualTo(404);
        assertThat(Api.get(tests + "/999999", viewer).status()).isEqualTo(404);
        assertThat(Api.get(tests + "/x", viewer).status()).isEqualTo(400);
    }

    @Test
    void the_sender_shows_its_last_connection_and_the_fault_of_its_last_error() {
        long sender = createSender("main");
        assertThat(Api.get("/api/senders/" + sender, viewer).get("last_connection").isNull()).as("never tried").isTrue();

        // What a worker writes when the relay's port is closed.
        dsl().update(SENDER).set(SENDER.LAST_ERROR, "transient_error: cannot connect: connection refused")
                .set(SENDER.LAST_ERROR_AT, OffsetDateTime.now()).set(SENDER.LAST_FAULT, "connection_refused")
                .set(SENDER.CONNECTION_STATUS, "failed").set(SENDER.CONNECTION_FAULT, "connection_refused")
                .set(SENDER.CONNECTION_DETAIL, "Nothing accepted the connection (connection refused).")
                .set(SENDER.CONNECTION_AT, OffsetDateTime.now()).where(SENDER.ID.eq(sender)).execute();

        Api.Res one = Api.get("/api/senders/" + sender, viewer);
        assertThat(one.get("last_fault").asText()).isEqualTo("connection_refused");
        assertThat(one.get("last_connection").get("status").asText()).isEqualTo("failed");
        assertThat(one.get("last_connection").get("fault").asText()).isEqualTo("connection_refused");
        assertThat(Api.get("/api/senders", viewer).get("items").get(0).get("last_connection").get("detail").asText())
                .startsWith("Nothing accepted the connection");

        // New SMTP settings: the last connection was to the old ones.
        Api.Res moved = Api.patch("/api/senders/" + sender, admin, "{\"smtp\": {\"port\": 2526, \"password\": \"pw\"}}");
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.get("last_connection").isNull()).isTrue();
        assertThat(moved.get("last_fault").isNull()).isTrue();
    }
}
