package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.secret.MetricsToken;
import dev.mailroom.web.sse.StreamLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** /metrics is open without MAILROOM_METRICS_TOKEN, and with it answers only that bearer token. */
class MetricsTokenApiTest extends WebTestBase {
    private static final String TOKEN = "prometheus-scrape-token-42";

    private static HttpResponse<String> scrape(String base, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/metrics"));
        if (authorization != null) b.header("Authorization", authorization);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void without_a_token_anyone_may_scrape() throws Exception {
        HttpResponse<String> r = scrape(TestApp.base(), null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("mailroom_queue_depth").containsPattern("(?m)^mailroom_sse_streams \\d");
    }

    @Test
    void with_a_token_only_its_bearer_may_scrape() throws Exception {
        WebApp app = WebApp.create(TestApp.deps(TestApp.csvLimits(), StreamLimits.DEFAULT, MetricsToken.of(TOKEN)))
                .start("127.0.0.1", 0);
        try {
            String base = "http://127.0.0.1:" + app.port();
            HttpResponse<String> none = scrape(base, null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(none.body()).doesNotContain("jvm_");
            assertThat(scrape(base, "Bearer " + TOKEN + "-not").statusCode()).isEqualTo(401);
            assertThat(scrape(base, "Bearer " + admin).statusCode()).as("an API key is not the metrics token").isEqualTo(401);
            HttpResponse<String> ok = scrape(base, "Bearer " + TOKEN);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("mailroom_queue_depth");
        } finally {
            app.stop();
        }
    }
}
