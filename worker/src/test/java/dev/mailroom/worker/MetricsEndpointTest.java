package dev.mailroom.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.secret.MetricsToken;
import dev.mailroom.testkit.TestServices;
import dev.mailroom.worker.loop.WorkerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's /metrics: open without MAILROOM_METRICS_TOKEN, only for that bearer token with it; what it counts. */
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
        try (var endpoint = MetricsEndpoint.start("127.0.0.1", port, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), MetricsToken.NONE)) {
            HttpResponse<String> r = scrape(port, null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void with_a_token_answers_only_its_bearer() throws Exception {
        int port = freePort();
        try (var endpoint = MetricsEndpoint.start("127.0.0.1", port, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), MetricsToken.of(TOKEN))) {
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

    @Test
    void listens_on_loopback_unless_told_otherwise() {
        assertThat(WorkerConfig.fromEnvironment(TestServices.mainEnvironment(Map.of())).metricsHost()).isEqualTo("127.0.0.1");
        assertThat(WorkerConfig.fromEnvironment(TestServices.mainEnvironment(Map.of("MAILROOM_WORKER_METRICS_HOST", " 0.0.0.0 ")))
                .metricsHost()).isEqualTo("0.0.0.0");
        assertThatThrownBy(() -> WorkerConfig.fromEnvironment(TestServices.mainEnvironment(Map.of("MAILROOM_WORKER_METRICS_HOST", " "))))
                .hasMessageContaining("MAILROOM_WORKER_METRICS_HOST");
    }

    @Test
    void serves_on_the_configured_host() throws Exception {
        int port = freePort();
        try (var endpoint = MetricsEndpoint.start("0.0.0.0", port, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), MetricsToken.NONE)) {
            assertThat(scrape(port, null).statusCode()).isEqualTo(200);
        }
    }

    /** A counter that appears at its first increment hides that increment from rate(): every reason is there from the start. */
    @Test
    void every_deferral_reason_and_send_outcome_is_exported_before_it_first_happens() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new WorkerMetrics(registry);
        String text = registry.scrape();
        for (DeferReason reason : DeferReason.values()) {
            assertThat(text).contains("mailroom_deferrals_total{reason=\"" + reason.wire() + "\"} 0.0");
        }
        assertThat(text).contains("mailroom_sends_total{outcome=\"sent\"} 0.0", "mailroom_sends_total{outcome=\"failed\"} 0.0",
                "mailroom_batch_latency_seconds_count 0", "mailroom_smtp_latency_seconds_count 0");
    }
}
