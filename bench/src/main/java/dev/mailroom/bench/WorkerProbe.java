package dev.mailroom.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples every worker once a second: resident memory from /proc/PID/status, heap in use and live data
 * after the last GC from the worker's own Prometheus endpoint (Micrometer's JVM metrics).
 */
final class WorkerProbe implements AutoCloseable {
    record Sample(double atSeconds, int worker, long rssKb, double heapUsedMb, double liveDataMb) {}

    private final Fleet fleet;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Sample> samples = new ArrayList<>();
    private final long start = System.nanoTime();
    private final Thread thread;
    private volatile boolean stop;

    WorkerProbe(Fleet fleet) {
        this.fleet = fleet;
        this.thread = Thread.ofPlatform().daemon().name("worker-probe").start(this::run);
    }

    private void run() {
        while (!stop) {
            for (int i = 1; i <= fleet.workerCount(); i++) {
                ManagedProcess w = fleet.worker(i);
                if (w == null || !w.alive()) continue;
                PromText m = scrape(i);
                double heap = m == null ? -1 : m.sum("jvm_memory_used_bytes", "area=\"heap\"") / 1e6;
                double live = m == null ? -1 : m.sum("jvm_gc_live_data_size_bytes", null) / 1e6;
                synchronized (samples) {
                    samples.add(new Sample((System.nanoTime() - start) / 1e9, i, w.statusKb("VmRSS"), heap, live));
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    PromText scrape(int worker) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + fleet.metricsPort(worker) + "/metrics")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? new PromText(r.body()) : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Peak figures of one worker: RSS and its high-water mark (VmHWM), heap used, live data after GC. */
    Map<String, Object> peaks(int worker) {
        double heap = 0;
        double live = 0;
        long rss = 0;
        for (Sample s : samples()) {
            if (s.worker() != worker) continue;
            heap = Math.max(heap, s.heapUsedMb());
            live = Math.max(live, s.liveDataMb());
            rss = Math.max(rss, s.rssKb());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peak_rss_mb", Percentiles.round(rss / 1024.0));
        m.put("vm_hwm_mb", Percentiles.round(fleet.worker(worker).statusKb("VmHWM") / 1024.0));
        m.put("peak_heap_used_mb", Percentiles.round(heap));
        m.put("peak_live_heap_after_gc_mb", Percentiles.round(live));
        return m;
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
