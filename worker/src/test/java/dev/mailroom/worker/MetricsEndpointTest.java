package dev.mailroom.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.secret.MetricsToken;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The worker's /metrics: open without MAILROOM_METRICS_TOKEN, only for that bearer token with it. */
class MetricsEndpointTest {
    private static final String TOKEN = "worker-scrape-token-0123";

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> scrape(int port, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
        if (authorization != null) b.header("Authorization", authorization);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void is_open_without_a_token() throws Exception {
        int port = freePort();
        try (var endpoint = MetricsEndpoint.start(port, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), MetricsToken.NONE)) {
            HttpResponse<String> r = scrape(port, null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void with_a_token_answers_only_its_bearer() throws Exception {
        int port = freePort();
        try (var endpoint = MetricsEndpoint.start(port, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), MetricsToken.of(TOKEN))) {
            HttpResponse<String> none = scrape(port, null);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(none.body()).doesNotContain("jvm_");
            assertThat(scrape(port, "Bearer wrong-token-0123456789").statusCode()).isEqualTo(401);
            HttpResponse<String> ok = scrape(port, "Bearer " + TOKEN);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("jvm_memory_used_bytes");
        }
    }
}
