package dev.mailroom.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.core.net.EgressPolicy;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Webhooks cannot be turned against what only the server reaches: an address on this machine or its network is
 * refused when the webhook is created, a host name that resolves to one is refused at delivery (and the refusal
 * is shown in the delivery log), MAILROOM_EGRESS_ALLOW opens what an operator needs, and a redirect is never
 * followed.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class EgressGuardTest {
    private static final Map<String, String> FAST_WEBHOOKS = Map.of("MAILROOM_WEBHOOK_POLL_MS", "100");

    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();

    @Test
    void a_loopback_webhook_is_refused_at_creation_and_a_name_resolving_to_loopback_at_delivery() throws Exception {
        // This machine's own name resolves to an address of this machine (or its network) by /etc/hosts.
        String ownName = InetAddress.getLocalHost().getHostName();
        Assumptions.assumeTrue(refusedByDefault(ownName), ownName + " resolves to a public address here");
        try (Mailroom mailroom = new Mailroom(Clock.systemUTC()); HookReceiver receiver = new HookReceiver()) {
            Mailroom.Answer literal = mailroom.attempt("/api/webhooks", webhook(receiver.url("127.0.0.1")));
            assertThat(literal.status()).as(literal.toString()).isEqualTo(400);
            assertThat(literal.body().get("errors").findValuesAsText("field")).containsExactly("url");
            assertThat(literal.body().toString()).contains("egress refused: 127.0.0.1 is a loopback address");
            assertThat(mailroom.attempt("/api/webhooks", webhook(receiver.url("localhost"))).status()).isEqualTo(400);

            long hook = mailroom.post("/api/webhooks", webhook(receiver.url(ownName))).get("id").asLong();
            sendOneCampaign(mailroom);
            List<JsonNode> deliveries = awaitDeliveries(mailroom, hook, 2);
            assertThat(deliveries).allSatisfy(d -> {
                assertThat(d.get("error").asText()).startsWith("egress_refused: " + ownName.toLowerCase() + " resolves to ");
                assertThat(d.get("status_code").isNull()).isTrue();
                assertThat(d.get("outbox_status").asText()).as("not retried").isEqualTo("failed");
            });
            assertThat(receiver.calls).as("nothing reached the receiver").isEmpty();
        }
    }

    @Test
    void MAILROOM_EGRESS_ALLOW_opens_loopback_and_a_redirect_to_an_internal_url_is_still_not_followed() {
        try (Mailroom mailroom = new Mailroom(Clock.systemUTC(), Map.of(EgressPolicy.VARIABLE, "127.0.0.1/32"));
             HookReceiver receiver = new HookReceiver();
             HookReceiver internal = new HookReceiver();
             HookReceiver redirecting = new HookReceiver(internal.url("127.0.0.1") + "/internal")) {
            long direct = mailroom.post("/api/webhooks", webhook(receiver.url("127.0.0.1"))).get("id").asLong();
            long redirected = mailroom.post("/api/webhooks", webhook(redirecting.url("127.0.0.1"))).get("id").asLong();
            sendOneCampaign(mailroom);

            assertThat(awaitDeliveries(mailroom, direct, 2)).allSatisfy(d -> {
                assertThat(d.get("status_code").asInt()).isEqualTo(204);
                assertThat(d.get("outbox_status").asText()).isEqualTo("delivered");
            });
            assertThat(receiver.calls).hasSize(2);
            assertThat(awaitDeliveries(mailroom, redirected, 2)).allSatisfy(d -> {
                assertThat(d.get("status_code").asInt()).isEqualTo(302);
                assertThat(d.get("error").asText()).isEqualTo("redirect_not_followed: HTTP 302");
            });
            assertThat(redirecting.calls).hasSize(2);
            assertThat(internal.calls).as("the redirect's target is never fetched").isEmpty();
        }
    }

    private static boolean refusedByDefault(String name) {
        try {
            EgressPolicy.DEFAULT.vet(name, InetAddress::getAllByName);
            return false;
        } catch (EgressPolicy.Refused e) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String webhook(String url) {
        return "{\"url\": \"" + url + "\", \"secret\": \"topsecret1\", \"events\": [\"delivered\", \"campaign.finished\"]}";
    }

    /** One recipient: a "delivered" and a "campaign.finished" event for every webhook. */
    private void sendOneCampaign(Mailroom mailroom) {
        mailroom.worker("w1", FAST_WEBHOOKS);
        long campaign = mailroom.queuedCampaign(mailroom.sender(smtp.port(), 1000), 1, 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> "sent".equals(mailroom.progress(campaign).get("status").asText()));
    }

    private static List<JsonNode> awaitDeliveries(Mailroom mailroom, long hook, int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> mailroom.get("/api/webhooks/" + hook + "/deliveries").get("items").size() >= n);
        JsonNode items = mailroom.get("/api/webhooks/" + hook + "/deliveries").get("items");
        return StreamSupport.stream(items.spliterator(), false).toList();
    }
}
