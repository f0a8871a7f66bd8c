package dev.mailroom.worker.delivery;

import static dev.mailroom.db.generated.Tables.WEBHOOK_DELIVERY;
import static dev.mailroom.db.generated.Tables.WEBHOOK_ENDPOINT;
import static dev.mailroom.db.generated.Tables.WEBHOOK_OUTBOX;
import static dev.mailroom.db.generated.Tables.WEBHOOK_SUBSCRIPTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailroom.core.net.EgressPolicy;
import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.webhook.WebhookCall;
import dev.mailroom.core.webhook.WebhookSignature;
import dev.mailroom.db.postgres.JooqWebhookQueue;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import dev.mailroom.worker.Fixtures;
import dev.mailroom.worker.Worker;
import dev.mailroom.worker.WorkerHarness;
import dev.mailroom.worker.webhook.DispatchWebhooks;
import java.time.Clock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith({PostgresExtension.class, RedisExtension.class})
class WebhookDeliveryTest {
    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());

    /** The receivers of these tests listen on loopback, which only this opens. */
    private static final String LOOPBACK_ALLOWED = "127.0.0.1/32";

    private final Fixtures fx = new Fixtures();
    private final DSLContext dsl = fx.dsl;
    private final ObjectMapper json = new ObjectMapper();

    /** The secret stored sealed, as the web tier stores it (I19). */
    private long endpoint(String url, String secret, String... events) {
        return endpointStoring(url, Fixtures.SEALER.seal(secret, WebhookCall.SECRET_SEAL_PURPOSE), events);
    }

    private long endpointStoring(String url, String storedSecret, String... events) {
        long id = dsl.insertInto(WEBHOOK_ENDPOINT).set(WEBHOOK_ENDPOINT.URL, url).set(WEBHOOK_ENDPOINT.SECRET, storedSecret)
                .returning(WEBHOOK_ENDPOINT.ID).fetchOne(WEBHOOK_ENDPOINT.ID);
        for (String e : events) {
            dsl.insertInto(WEBHOOK_SUBSCRIPTION).set(WEBHOOK_SUBSCRIPTION.ENDPOINT_ID, id).set(WEBHOOK_SUBSCRIPTION.EVENT, e).execute();
        }
        return id;
    }

    @Test
    void I19_delivers_events_signed_with_the_given_secret_though_it_is_stored_sealed() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            endpoint(receiver.url(), "s3cret", "delivered", "campaign.finished");
            assertThat(dsl.fetchValue(WEBHOOK_ENDPOINT.SECRET)).startsWith("v1:").doesNotContain("s3cret");
            long sender = fx.sender(smtp.getSmtp().getPort(), 1000, 10000);
            long campaign = fx.queuedCampaign(sender, 5, "example.org");
            try (Worker w = WorkerHarness.start("w1", Map.of("MAILROOM_WEBHOOK_POLL_MS", "100",
                    EgressPolicy.VARIABLE, LOOPBACK_ALLOWED))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> receiver.calls.size() >= 6);
            }
            assertThat(fx.status(campaign)).isEqualTo("sent");
            for (WebhookReceiver.Call call : receiver.calls) {
                String t = call.signature().substring(2, call.signature().indexOf(','));
                assertThat(call.signature()).isEqualTo(WebhookSignature.header("s3cret", Long.parseLong(t), call.body()));
            }
            List<JsonNode> bodies = receiver.calls.stream().map(c -> read(c.body())).toList();
            assertThat(bodies).filteredOn(b -> b.get("event").asText().equals("delivered")).hasSize(5)
                    .allSatisfy(b -> assertThat(b.at("/data/email").asText()).endsWith("@example.org"));
            assertThat(bodies).filteredOn(b -> b.get("event").asText().equals("campaign.finished")).singleElement()
                    .satisfies(b -> assertThat(b.at("/data/status").asText()).isEqualTo("sent"));
        }
    }

    @Test
    void a_failing_endpoint_is_retried_with_backoff_and_every_attempt_is_logged() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.failFirst(2);
            long endpointId = endpoint(receiver.url(), "k", "campaign.finished");
            dsl.insertInto(WEBHOOK_OUTBOX).set(WEBHOOK_OUTBOX.ENDPOINT_ID, endpointId)
                    .set(WEBHOOK_OUTBOX.EVENT, "campaign.finished").set(WEBHOOK_OUTBOX.PAYLOAD, "{\"campaign_id\":1}").execute();
            try (DispatchWebhooks dispatch = new DispatchWebhooks(new JooqWebhookQueue(dsl), Fixtures.SEALER, Clock.systemUTC(), 2,
                    Duration.ofMillis(50), Duration.ofMillis(300), EgressPolicy.parse(LOOPBACK_ALLOWED))) {
                dispatch.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(
                        dsl.select(WEBHOOK_OUTBOX.STATUS).from(WEBHOOK_OUTBOX).fetchOne(WEBHOOK_OUTBOX.STATUS)));
            }
            assertThat(receiver.calls).hasSize(3);
            long gap1 = receiver.calls.get(1).receivedAtMillis() - receiver.calls.get(0).receivedAtMillis();
            long gap2 = receiver.calls.get(2).receivedAtMillis() - receiver.calls.get(1).receivedAtMillis();
            assertThat(gap1).isGreaterThanOrEqualTo(250);
            assertThat(gap2).isGreaterThanOrEqualTo(550); // doubled
            assertThat(dsl.select(WEBHOOK_DELIVERY.STATUS_CODE).from(WEBHOOK_DELIVERY).orderBy(WEBHOOK_DELIVERY.ID)
                    .fetch(WEBHOOK_DELIVERY.STATUS_CODE)).containsExactly(503, 503, 204);
        }
    }

    @Test
    void I19_a_secret_sealed_under_a_key_gone_from_the_ring_sends_nothing_unsigned_and_logs_why() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String sealedElsewhere = new SecretSealer(KeyRing.generated("gone")).seal("s3cret", WebhookCall.SECRET_SEAL_PURPOSE);
            long endpointId = endpointStoring(receiver.url(), sealedElsewhere, "campaign.finished");
            dsl.insertInto(WEBHOOK_OUTBOX).set(WEBHOOK_OUTBOX.ENDPOINT_ID, endpointId)
                    .set(WEBHOOK_OUTBOX.EVENT, "campaign.finished").set(WEBHOOK_OUTBOX.PAYLOAD, "{\"campaign_id\":1}").execute();
            try (DispatchWebhooks dispatch = new DispatchWebhooks(new JooqWebhookQueue(dsl), Fixtures.SEALER, Clock.systemUTC(), 2,
                    Duration.ofMillis(50), Duration.ofSeconds(60), EgressPolicy.parse(LOOPBACK_ALLOWED))) {
                dispatch.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> dsl.fetchCount(WEBHOOK_DELIVERY) > 0);
            }
            assertThat(receiver.calls).as("nothing goes out unsigned").isEmpty();
            assertThat(dsl.fetchValue(WEBHOOK_DELIVERY.ERROR)).startsWith("webhook secret unusable")
                    .contains("key gone is no longer in MAILROOM_SECRET_KEY").doesNotContain("s3cret");
            assertThat(dsl.fetchValue(WEBHOOK_OUTBOX.STATUS)).as("retried later, once the key is back").isNotEqualTo("delivered");
        }
    }

    @Test
    void a_url_on_loopback_is_refused_unless_allowed_and_fails_at_once_without_a_connection() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            long outbox = outboxRow(endpoint(receiver.url(), "s3cret", "campaign.finished"));
            deliverAll(EgressPolicy.DEFAULT, InetAddress::getAllByName);
            assertThat(receiver.calls).as("nothing reaches the loopback receiver").isEmpty();
            assertThat(dsl.select(WEBHOOK_DELIVERY.ERROR, WEBHOOK_DELIVERY.STATUS_CODE).from(WEBHOOK_DELIVERY).fetchSingle())
                    .satisfies(d -> {
                        assertThat(d.value1()).isEqualTo("egress_refused: 127.0.0.1 is a loopback address");
                        assertThat(d.value2()).isNull();
                    });
            assertThat(status(outbox)).as("no retries: the address stays refused").isEqualTo("failed");
        }
    }

    /**
     * The name resolves (by this test's resolver, not the system's) to loopback: refused when loopback is not
     * allowed; when it is, the call goes to the very address that was checked, with the URL's host name.
     */
    @Test
    void a_host_name_is_checked_by_what_it_resolves_to_and_the_connection_goes_to_the_address_checked() throws Exception {
        EgressPolicy.Resolver dns = host -> {
            if (!host.equals("hooks.mailroom.test")) throw new UnknownHostException(host);
            return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
        };
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String url = "http://hooks.mailroom.test:" + receiver.port() + "/hook";
            long refused = outboxRow(endpoint(url, "s3cret", "campaign.finished"));
            deliverAll(EgressPolicy.DEFAULT, dns);
            assertThat(receiver.calls).isEmpty();
            assertThat(dsl.fetchValue(WEBHOOK_DELIVERY.ERROR))
                    .isEqualTo("egress_refused: hooks.mailroom.test resolves to 127.0.0.1, a loopback address");
            assertThat(status(refused)).isEqualTo("failed");

            long allowed = outboxRow(dsl.fetchValue(WEBHOOK_ENDPOINT.ID));
            deliverAll(EgressPolicy.parse(LOOPBACK_ALLOWED), dns);
            assertThat(status(allowed)).isEqualTo("delivered");
            assertThat(receiver.calls).singleElement()
                    .satisfies(c -> assertThat(c.host()).isEqualTo("hooks.mailroom.test:" + receiver.port()));
        }
    }

    @Test
    void a_redirect_to_an_internal_url_is_not_followed() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(); WebhookReceiver internal = new WebhookReceiver()) {
            receiver.redirectTo(internal.url());
            long outbox = outboxRow(endpoint(receiver.url(), "s3cret", "campaign.finished"));
            deliverAll(EgressPolicy.parse(LOOPBACK_ALLOWED), InetAddress::getAllByName);
            assertThat(receiver.calls).hasSize(1);
            assertThat(internal.calls).as("the Location is never fetched").isEmpty();
            assertThat(dsl.select(WEBHOOK_DELIVERY.STATUS_CODE, WEBHOOK_DELIVERY.ERROR).from(WEBHOOK_DELIVERY).fetchSingle())
                    .satisfies(d -> {
                        assertThat(d.value1()).isEqualTo(302);
                        assertThat(d.value2()).isEqualTo("redirect_not_followed: HTTP 302");
                    });
            assertThat(status(outbox)).isEqualTo("pending");
        }
    }

    private long outboxRow(long endpointId) {
        return dsl.insertInto(WEBHOOK_OUTBOX).set(WEBHOOK_OUTBOX.ENDPOINT_ID, endpointId)
                .set(WEBHOOK_OUTBOX.EVENT, "campaign.finished").set(WEBHOOK_OUTBOX.PAYLOAD, "{\"campaign_id\":1}")
                .returning(WEBHOOK_OUTBOX.ID).fetchOne(WEBHOOK_OUTBOX.ID);
    }

    private String status(long outboxId) {
        return dsl.select(WEBHOOK_OUTBOX.STATUS).from(WEBHOOK_OUTBOX).where(WEBHOOK_OUTBOX.ID.eq(outboxId))
                .fetchOne(WEBHOOK_OUTBOX.STATUS);
    }

    /** Runs a dispatcher until every due row has had an attempt; retries are an hour away. */
    private void deliverAll(EgressPolicy egress, EgressPolicy.Resolver dns) {
        int before = dsl.fetchCount(WEBHOOK_DELIVERY);
        int due = dsl.fetchCount(WEBHOOK_OUTBOX, WEBHOOK_OUTBOX.STATUS.eq("pending"));
        try (DispatchWebhooks dispatch = new DispatchWebhooks(new JooqWebhookQueue(dsl), Fixtures.SEALER, Clock.systemUTC(), 2,
                Duration.ofMillis(50), Duration.ofHours(1), egress, dns)) {
            dispatch.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> dsl.fetchCount(WEBHOOK_DELIVERY) >= before + due);
        }
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
