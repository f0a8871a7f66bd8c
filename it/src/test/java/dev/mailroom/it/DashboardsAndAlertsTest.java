package dev.mailroom.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * deploy/: the Grafana dashboard and the Prometheus alert rules query only series that a real web process and
 * a real worker export (scraped over HTTP with the metrics token, as Prometheus does), the dashboard shows every
 * Mailroom series, and the files docker-compose.yml wires together agree. The rules' behaviour is tested by
 * {@code promtool test rules} (scripts/test).
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class DashboardsAndAlertsTest {
    private static final String TOKEN = "it-prometheus-token-0123";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    /** Series Prometheus makes itself for every target, not the processes. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final Pattern SAMPLE_NAME = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

    @RegisterExtension
    final FaultySmtpServer smtp = FaultySmtpServer.start();

    @Test
    void every_series_the_dashboard_and_the_alerts_query_is_exported_by_a_real_web_process_or_worker() throws Exception {
        Set<String> exported = scrapeBusyMailroom();
        Map<String, Set<String>> queried = new LinkedHashMap<>();
        dashboardQueries().forEach((where, expr) -> queried.put(where, PromQlNames.of(expr)));
        alertQueries().forEach((where, expr) -> queried.put(where, PromQlNames.of(expr)));
        for (JsonNode variable : dashboard().path("templating").path("list")) {
            Matcher m = LABEL_VALUES.matcher(variable.path("definition").asText());
            if (m.find()) queried.put("variable " + variable.path("name").asText(), Set.of(m.group(1)));
        }

        assertThat(queried).hasSizeGreaterThan(30);
        queried.forEach((where, names) -> {
            assertThat(names).as("%s queries some series", where).isNotEmpty();
            assertThat(names).as("%s queries only exported series (exported: %s)", where, exported)
                    .allMatch(n -> exported.contains(n) || PROMETHEUS_OWN.contains(n));
        });

        Set<String> onDashboard = new TreeSet<>();
        dashboardQueries().values().forEach(expr -> onDashboard.addAll(PromQlNames.of(expr)));
        Set<String> families = new TreeSet<>();
        for (String name : exported) {
            if (name.startsWith("mailroom_")) families.add(name.replaceAll("_(bucket|count|sum|max)$", ""));
        }
        assertThat(families).as("families seen in the scrape").contains("mailroom_sends_total", "mailroom_deferrals_total",
                "mailroom_smtp_latency_seconds", "mailroom_batch_latency_seconds", "mailroom_queue_depth",
                "mailroom_processing_idle_seconds", "mailroom_circuits_open", "mailroom_circuit_open_seconds",
                "mailroom_quota_used", "mailroom_quota_limit", "mailroom_quota_remaining", "mailroom_sender_complaint_rate",
                "mailroom_complaint_rate_threshold", "mailroom_webhook_backlog", "mailroom_webhook_oldest_pending_seconds");
        for (String family : families) {
            assertThat(onDashboard).as("a panel shows %s", family)
                    .anyMatch(n -> n.equals(family) || n.startsWith(family + "_"));
        }
    }

    @Test
    void the_dashboard_is_one_grafana_dashboard_whose_panels_use_the_chosen_data_source() throws IOException {
        JsonNode d = dashboard();
        assertThat(d.path("uid").asText()).isEqualTo("mailroom-overview");
        assertThat(d.path("title").asText()).isEqualTo("Mailroom");
        assertThat(d.path("templating").path("list").get(0).path("type").asText()).isEqualTo("datasource");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : d.path("panels")) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt())).as("%s has an id of its own", title).isTrue();
            JsonNode pos = panel.path("gridPos");
            assertThat(pos.path("x").asInt() + pos.path("w").asInt()).as("%s fits in the 24 columns", title).isLessThanOrEqualTo(24);
            if (panel.path("type").asText().equals("row")) continue;
            assertThat(panel.path("description").asText()).as("%s says what it shows", title).isNotBlank();
            assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
            }
        }
    }

    @Test
    void compose_runs_prometheus_with_the_rules_and_grafana_with_the_dashboard_scraping_web_and_workers() throws IOException {
        JsonNode compose = yaml("docker-compose.yml");
        JsonNode services = compose.path("services");
        JsonNode prometheus = services.path("prometheus");
        JsonNode grafana = services.path("grafana");
        assertThat(prometheus.isMissingNode() || grafana.isMissingNode()).as("prometheus and grafana services").isFalse();

        Map<String, String> prometheusMounts = mounts(prometheus);
        assertThat(prometheusMounts).containsEntry("/etc/prometheus/prometheus.yml", "deploy/prometheus/prometheus.yml")
                .containsEntry("/etc/prometheus/alerts.yml", "deploy/prometheus/alerts.yml");
        assertThat(String.join(" ", strings(prometheus.path("entrypoint"))))
                .contains("--config.file=/etc/prometheus/prometheus.yml", "MAILROOM_METRICS_TOKEN", "> /prometheus/metrics-token");

        JsonNode config = yaml("deploy/prometheus/prometheus.yml");
        assertThat(strings(config.path("rule_files"))).containsExactly("alerts.yml");
        Map<String, List<String>> targets = new LinkedHashMap<>();
        for (JsonNode job : config.path("scrape_configs")) {
            assertThat(job.path("authorization").path("credentials_file").asText()).as("the token file the entrypoint writes")
                    .isEqualTo("/prometheus/metrics-token");
            List<String> t = new ArrayList<>();
            job.path("static_configs").forEach(sc -> t.addAll(strings(sc.path("targets"))));
            targets.put(job.path("job_name").asText(), t);
        }
        assertThat(targets.get("mailroom-web")).containsExactly("web:7070");
        assertThat(services.path("web").path("ports").get(0).asText()).isEqualTo("7070:7070");
        List<String> workers = new ArrayList<>();
        services.fieldNames().forEachRemaining(n -> {
            if (n.startsWith("worker-")) workers.add(n);
        });
        assertThat(workers).isNotEmpty();
        List<String> expectedWorkerTargets = new ArrayList<>();
        for (String w : workers) {
            JsonNode env = services.path(w).path("environment");
            assertThat(env.path("MAILROOM_WORKER_METRICS_HOST").asText()).as(w + " listens beyond loopback").isEqualTo("0.0.0.0");
            expectedWorkerTargets.add(w + ":" + env.path("MAILROOM_WORKER_METRICS_PORT").asText());
        }
        assertThat(targets.get("mailroom-worker")).containsExactlyInAnyOrderElementsOf(expectedWorkerTargets);

        Map<String, String> grafanaMounts = mounts(grafana);
        String dashboards = null;
        for (var e : grafanaMounts.entrySet()) {
            assertThat(Files.exists(root().resolve(e.getValue()))).as(e.getValue()).isTrue();
            if (e.getValue().equals("deploy/grafana/dashboards")) dashboards = e.getKey();
        }
        assertThat(grafanaMounts).containsEntry("/etc/grafana/provisioning/datasources", "deploy/grafana/provisioning/datasources")
                .containsEntry("/etc/grafana/provisioning/dashboards", "deploy/grafana/provisioning/dashboards");
        JsonNode provider = yaml("deploy/grafana/provisioning/dashboards/mailroom.yml").path("providers").get(0);
        assertThat(provider.path("options").path("path").asText()).as("the provider reads the mounted dashboards").isEqualTo(dashboards);
        JsonNode datasource = yaml("deploy/grafana/provisioning/datasources/prometheus.yml").path("datasources").get(0);
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(prometheus.path("ports").get(0).asText()).endsWith(":9090");
    }

    @Test
    void metric_names_are_read_from_promql_without_functions_labels_or_grouping() {
        assertThat(PromQlNames.of("histogram_quantile(0.95, sum by (le) (rate(mailroom_smtp_latency_seconds_bucket[$__rate_interval])))"))
                .containsExactly("mailroom_smtp_latency_seconds_bucket");
        assertThat(PromQlNames.of("max by (sender_id) (mailroom_sender_complaint_rate{sender_id=~\"$sender_id\"})\n"
                + "  >= on () group_left () max (mailroom_complaint_rate_threshold)"))
                .containsExactly("mailroom_complaint_rate_threshold", "mailroom_sender_complaint_rate");
        assertThat(PromQlNames.of("max (mailroom_webhook_backlog) > 100 and max (deriv(mailroom_webhook_backlog[15m])) > 0"))
                .containsExactly("mailroom_webhook_backlog");
        assertThat(PromQlNames.of("sum(up{job=~\"mailroom-.*\"})")).containsExactly("up");
    }

    /**
     * A Mailroom at work, as Prometheus sees it: one sender's route refuses its mail until its circuit opens,
     * another sender's campaign is being sent; the web's and the worker's /metrics scraped with the token.
     * Returns the names of every sample.
     */
    private Set<String> scrapeBusyMailroom() throws Exception {
        int workerPort = freePort();
        smtp.faults().recipientsMatching("r\\d+@down\\.example").rejectData("554 5.7.1 Message rejected as spam");
        smtp.messageDelay(Duration.ofMillis(40));
        try (Mailroom mailroom = new Mailroom(Clock.systemUTC(), Map.of("MAILROOM_METRICS_TOKEN", TOKEN))) {
            mailroom.workerWithMetrics("w1", Map.of("MAILROOM_WORKER_METRICS_PORT", Integer.toString(workerPort),
                    "MAILROOM_WORKER_CONCURRENCY", "1", "MAILROOM_RECONCILE_INTERVAL_MS", "500"));
            long refused = mailroom.sender(smtp.port(), 100_000);
            long busy = mailroom.sender(smtp.port(), 100_000);
            mailroom.queuedCampaign(refused, 30, 10, "down.example");
            long campaign = mailroom.queuedCampaign(busy, 2_000, 10);
            await().atMost(Duration.ofSeconds(60)).until(() -> mailroom.get("/api/circuits").path("items").size() > 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> mailroom.progress(campaign).path("sent").asInt() > 0);
            assertThat(mailroom.progress(campaign).path("status").asText()).isEqualTo("processing");

            // Micrometer registers jvm_gc_pause_seconds at the first collection it is told of: have one now.
            System.gc();
            String web = await().atMost(Duration.ofSeconds(30)).until(
                    () -> scrape(mailroom.base() + "/metrics"), text -> text.contains("jvm_gc_pause_seconds_count"));
            String worker = await().atMost(Duration.ofSeconds(30)).until(() -> scrape("http://127.0.0.1:" + workerPort + "/metrics"),
                    text -> text.contains("mailroom_reconcile_fixes_total") && text.contains("jvm_gc_pause_seconds_count"));
            assertThat(unauthorized(mailroom.base() + "/metrics")).as("the web asks for the token").isEqualTo(401);
            assertThat(unauthorized("http://127.0.0.1:" + workerPort + "/metrics")).as("the worker asks for the token").isEqualTo(401);
            assertThat(web).contains("mailroom_circuit_open_seconds{domain=\"down.example\",sender_id=\"" + refused + "\"}",
                    "mailroom_processing_idle_seconds{campaign_id=\"" + campaign + "\",sender_id=\"" + busy + "\"}");
            Set<String> names = new TreeSet<>();
            for (String text : List.of(web, worker)) {
                Matcher m = SAMPLE_NAME.matcher(text);
                while (m.find()) names.add(m.group(1));
            }
            return names;
        }
    }

    private static String scrape(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    private static int unauthorized(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Every panel target's expression, keyed by where it is. */
    private static Map<String, String> dashboardQueries() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                out.put("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(), target.path("expr").asText());
            }
        }
        return out;
    }

    private static Map<String, String> alertQueries() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode group : yaml("deploy/prometheus/alerts.yml").path("groups")) {
            for (JsonNode rule : group.path("rules")) out.put("alert " + rule.path("alert").asText(), rule.path("expr").asText());
        }
        assertThat(out).containsOnlyKeys("alert MailroomCampaignStalled", "alert MailroomCircuitOpenLong",
                "alert MailroomQuotaNearlySpent", "alert MailroomComplaintRateHigh", "alert MailroomWebhookBacklogGrowing",
                "alert MailroomWebhookDeliveryStalled");
        return out;
    }

    private static JsonNode dashboard() throws IOException {
        return JSON.readTree(root().resolve("deploy/grafana/dashboards/mailroom.json").toFile());
    }

    private static JsonNode yaml(String path) throws IOException {
        return YAML.readTree(root().resolve(path).toFile());
    }

    /** A compose service's bind mounts: container path → repository path. */
    private static Map<String, String> mounts(JsonNode service) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String volume : strings(service.path("volumes"))) {
            String[] parts = volume.split(":");
            assertThat(parts[0]).as(volume).startsWith("./");
            assertThat(Files.exists(root().resolve(parts[0].substring(2)))).as(volume).isTrue();
            out.put(parts[1], parts[0].substring(2));
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The repository root: the tests run in the module's directory. */
    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) dir = dir.getParent();
        assertThat(dir).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
