package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A webhook URL that names an address the server must not reach is refused when it is given (TestApp.EGRESS_ALLOW). */
class WebhookEgressApiTest extends WebTestBase {

    @Test
    void a_url_naming_a_loopback_private_or_metadata_address_is_refused_naming_url_and_nothing_is_written() {
        for (String url : List.of("http://127.0.0.1:8080/internal", "http://[::1]/hook", "http://localhost:7070/api/keys",
                "http://LOCALHOST./x", "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
                "http://10.0.0.5/hook", "https://[::ffff:192.168.1.1]/hook", "http://0.0.0.0:5432/",
                "http://2130706433/hook", "http://0177.0.0.1/hook", "http://0x7f000001/hook")) {
            Api.Res r = create(url);
            assertThat(r.status()).as(url + " → " + r).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.get("errors").findValuesAsText("field")).as(url).containsExactly("url");
            assertThat(r.get("errors").findValuesAsText("message").getFirst()).as(url).startsWith("egress refused: ");
        }
        assertThat(create("http://127.0.0.1:8080/internal").text()).contains("127.0.0.1 is a loopback address");
        assertThat(create("http://169.254.169.254/").text()).contains("169.254.169.254 is a cloud metadata address");
        assertThat(create("http://user:pw@hooks.example.com/").status()).isEqualTo(400);
        assertThat(Api.get("/api/webhooks", admin).get("items")).isEmpty();
    }

    @Test
    void what_MAILROOM_EGRESS_ALLOW_opens_and_any_host_name_are_taken_host_names_being_checked_at_delivery() {
        assertThat(create("http://10.99.3.4:8080/crm").status()).isEqualTo(201);
        assertThat(create("http://crm.internal/hooks").status()).isEqualTo(201);
        assertThat(create("https://hooks.example.com/mailroom").status()).isEqualTo(201);
        assertThat(create("https://93.184.216.34/hook").status()).isEqualTo(201);
        assertThat(create("http://10.98.0.1/crm").status()).as("outside the allowed block").isEqualTo(400);
        assertThat(Api.get("/api/webhooks", admin).get("items")).hasSize(4);
    }

    private Api.Res create(String url) {
        return Api.post("/api/webhooks", admin, Api.json(Map.of("url", url, "secret", "topsecret1", "events", List.of("delivered"))));
    }
}
