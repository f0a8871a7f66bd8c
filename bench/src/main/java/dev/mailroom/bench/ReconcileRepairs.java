package dev.mailroom.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the reconciler repaired in each phase of the run, from two sources: its log lines (every
 * generation of a worker appends to the same log file, so a killed worker's repairs are still there)
 * and {@code mailroom_reconcile_fixes{kind}} scraped from each live worker at each phase boundary (a
 * killed worker's counter dies with it, so the metric can only be lower). Phases are cut by {@link #mark}:
 * the byte offset of each worker log and a scrape of each worker, taken in that order so a repair
 * counted in a scrape is always in the log before the cut.
 */
final class ReconcileRepairs {
    static final List<String> KINDS = List.of("counters", "uncertain", "finished", "dead_claim");
    private static final Map<String, Pattern> LINES = Map.of(
            "counters", Pattern.compile("reconcile: campaign \\d+ counters disagreed"),
            "uncertain", Pattern.compile("reconcile: campaign \\d+ is not processing but \\d+ recipients were left sending"),
            "finished", Pattern.compile("reconcile: campaign \\d+ was left processing with nothing to send"),
            "dead_claim", Pattern.compile("reconcile: campaign \\d+ is processing but no worker holds"));
    private static final String METRIC = "mailroom_reconcile_fixes_total";
    /** In a scrape's map: 1 when the metric was there at all (it appears after the worker's first pass). */
    private static final String PRESENT = "present";
    private static final Pattern FAILED_PASS = Pattern.compile("reconcile pass failed");

    record Phase(String name, Map<Path, Long> offsets, Map<String, Map<String, Double>> metrics) {}

    private final Fleet fleet;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Phase> phases = new ArrayList<>();

    ReconcileRepairs(Fleet fleet) {
        this.fleet = fleet;
    }

    /** Ends the previous phase and starts {@code name} ("end" closes the last; call it before the workers stop). */
    void mark(String name) {
        Map<String, Map<String, Double>> metrics = new HashMap<>();
        for (int i = 1; i <= fleet.workerCount(); i++) {
            Map<String, Double> m = scrape(i);
            if (m != null) metrics.put(fleet.workerId(i), m);
        }
        Map<Path, Long> offsets = new HashMap<>();
        for (int i = 1; i <= fleet.workerCount(); i++) offsets.put(fleet.worker(i).log(), size(fleet.worker(i).log()));
        phases.add(new Phase(name, offsets, metrics));
    }

    /** Repairs by kind in phase number {@code p} (0-based), from the logs and the metric. Call after the workers stopped. */
    Map<String, Object> counts(int p) throws IOException {
        Phase from = phases.get(p);
        Phase to = phases.get(p + 1);
        Map<String, Long> logged = new LinkedHashMap<>();
        for (String k : KINDS) logged.put(k, 0L);
        long failedPasses = 0;
        for (var e : from.offsets().entrySet()) {
            String text = read(e.getKey(), e.getValue(), to.offsets().getOrDefault(e.getKey(), e.getValue()));
            for (String k : KINDS) logged.merge(k, LINES.get(k).matcher(text).results().count(), Long::sum);
            failedPasses += FAILED_PASS.matcher(text).results().count();
        }
        Map<String, Long> metric = new LinkedHashMap<>();
        for (String k : KINDS) {
            long sum = 0;
            for (var w : to.metrics().entrySet()) {
                Map<String, Double> before = from.metrics().getOrDefault(w.getKey(), Map.of());
                sum += Math.round(w.getValue().getOrDefault(k, 0.0) - before.getOrDefault(k, 0.0));
            }
            metric.put(k, sum);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("logged", logged);
        out.put("metric_live_workers", metric);
        out.put("failed_passes", failedPasses);
        out.put("workers_scraped", to.metrics().size());
        out.put("metric_present_on", to.metrics().values().stream().filter(m -> m.get(PRESENT) > 0).count());
        return out;
    }

    List<String> phaseNames() {
        return phases.stream().map(Phase::name).toList();
    }

    private Map<String, Double> scrape(int worker) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fleet.metricsPort(worker)
                    + "/metrics")).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return null;
            PromText t = new PromText(r.body());
            Map<String, Double> m = new HashMap<>();
            for (String k : KINDS) m.put(k, t.sum(METRIC, "kind=\"" + k + "\""));
            m.put(PRESENT, r.body().contains(METRIC) ? 1.0 : 0.0);
            return m;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String read(Path p, long from, long to) throws IOException {
        if (to <= from || !Files.exists(p)) return "";
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            byte[] b = new byte[(int) (to - from)];
            f.seek(from);
            f.readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
