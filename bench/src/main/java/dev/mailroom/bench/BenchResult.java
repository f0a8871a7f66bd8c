package dev.mailroom.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The figures of one bench run, in the order they are printed; the targets of the issue checked at the end. */
final class BenchResult {
    static final double TARGET_RAW_RATIO = 0.5;
    static final double TARGET_CPU_MS_PER_MESSAGE = 0.3;
    static final double TARGET_POLL_CPU_MS = 0.3;
    static final double TARGET_ENQUEUE_PER_S = 100_000; // 1,000,000 in 10 s
    static final double TARGET_HEAP_MB = 256;
    static final double TARGET_POLL_P99_MS = 20;

    private final BenchOptions o;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final Map<String, Object> memory = new LinkedHashMap<>();
    private final Map<String, Object> profile = new LinkedHashMap<>();
    private Timeline.Window sinkWindow;
    private double msgsPerSecond;
    private long bytesPerMessage;
    private int connections;
    private double peakHeap;
    private double pollP99 = Double.NaN;
    private double enqueueRate;
    private double rawRate;
    private double cpuPerMessage = Double.NaN;
    private double pollCpu = Double.NaN;
    private long pollRequests;

    BenchResult(BenchOptions o) {
        this.o = o;
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("n", o.n());
        settings.put("workers", o.workers());
        settings.put("senders", o.senders());
        settings.put("worker_concurrency", o.concurrency() == null ? "default" : o.concurrency());
        settings.put("batch_size", o.batchSize() == null ? "default" : o.batchSize());
        settings.put("poll_rate", o.pollRate());
        settings.put("dkim", o.dkim() ? "rsa-2048, relaxed/relaxed" : "off");
        settings.put("warm_up_recipients", Bench.WARM_UP);
        settings.put("cores", Runtime.getRuntime().availableProcessors());
        settings.put("build", System.getenv().getOrDefault("BENCH_BUILD", "unknown"));
        json.put("settings", settings);
    }

    void enqueue(long n, double seconds, long csvBytes) {
        enqueueRate = n / seconds;
        json.put("enqueue", Map.of("recipients", n, "seconds", Percentiles.round(seconds),
                "recipients_per_s", Math.round(enqueueRate), "csv_mb", Percentiles.round(csvBytes / 1e6)));
    }

    void sending(Map<String, Object> end, Timeline.Window sink, Map<String, Object> db, long bytesPerMessage, int connections) {
        this.sinkWindow = sink;
        this.msgsPerSecond = sink.rate();
        this.bytesPerMessage = bytesPerMessage;
        this.connections = connections;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("final_status", end.get("status"));
        m.put("sent", end.get("sent"));
        m.put("failed", end.get("failed"));
        m.put("uncertain", end.get("uncertain"));
        m.put("msgs_per_s", Math.round(msgsPerSecond));
        m.put("sink_window_s", Percentiles.round(sink.seconds()));
        m.put("sink_window_msgs", sink.messages());
        double dbSeconds = db.get("seconds") == null ? 0 : ((Number) db.get("seconds")).doubleValue();
        m.put("db_msgs_per_s", dbSeconds <= 0 ? 0 : Math.round(((Number) db.get("sent")).longValue() / dbSeconds));
        m.put("sink_bytes_per_message", bytesPerMessage); // what smtp-sink read per message, SMTP commands included
        m.put("smtp_connections", connections);
        m.put("ratio_to_raw_limit", rawRate <= 0 ? 0 : Percentiles.round(msgsPerSecond / rawRate));
        json.put("throughput", m);
    }

    void poll(Map<String, Object> summary) {
        pollP99 = ((Number) summary.get("p99_ms")).doubleValue();
        pollRequests = ((Number) summary.get("requests")).longValue();
        json.put("poll", summary);
    }

    /** @param campaigns the measured campaigns, created one after another (their ids are a range) */
    void latency(Sql sql, List<Long> campaigns, TreeMap<Double, Double> smtpBuckets) {
        long[] micros = sql.longs("select (extract(epoch from sent_at - attempted_at) * 1000000)::int8 from campaign_recipient "
                + "where campaign_id between ? and ? and status = 'sent'", campaigns.get(0), campaigns.get(campaigns.size() - 1));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reserve_to_sent", new Percentiles(micros).summary("ms", 1000.0));
        Map<String, Object> smtp = new LinkedHashMap<>();
        smtp.put("p50_ms", Percentiles.round(PromText.quantile(smtpBuckets, 0.50) * 1000));
        smtp.put("p99_ms", Percentiles.round(PromText.quantile(smtpBuckets, 0.99) * 1000));
        m.put("smtp_per_message", smtp);
        json.put("latency", m);
    }

    void memory(String worker, Map<String, Object> peaks) {
        memory.put(worker, peaks);
        peakHeap = Math.max(peakHeap, ((Number) peaks.get("peak_heap_used_mb")).doubleValue());
    }

    void webRss(long hwmKb) {
        memory.put("web_vm_hwm_mb", Percentiles.round(hwmKb / 1024.0));
        json.put("memory", memory);
    }

    void raw(RawLimit.Result raw) {
        rawRate = raw.msgsPerSecond();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool", "smtp-source -d -> smtp-sink");
        m.put("messages", raw.messages());
        m.put("connections", raw.connections());
        m.put("sink_bytes_per_message", raw.bytesPerMessage());
        m.put("msgs_per_s", Math.round(raw.msgsPerSecond()));
        m.put("measured", "after the warm-up, before the measured campaign, on the otherwise quiet machine");
        json.put("raw_limit", m);
    }

    @SuppressWarnings("unchecked")
    void cpu(Map<String, Object> perPart) {
        json.put("cpu_while_sending", perPart);
        json.put("cpu_per_message", perMessage(perPart));
        if (pollRequests > 0) {
            pollCpu = thousandths(1000 * cpuSeconds(perPart, "web") / pollRequests);
            ((Map<String, Object>) json.get("poll")).put("web_cpu_ms_per_request", pollCpu);
        }
    }

    /**
     * CPU milliseconds per message of the measured campaign: the workers alone (where DKIM signing is
     * spent; compare runs with and without --dkim), and Mailroom's whole share (workers, web, PostgreSQL,
     * Redis) as {@code cpu_ms_per_message}, which DESIGN.md budgets at 0.3 ms for unsigned mail. The web's
     * CPU while sending is the poll load's, so it is charged to the messages too. The same without the JIT
     * compiler threads says what a long-running deployment spends.
     */
    private Map<String, Object> perMessage(Map<String, Object> perPart) {
        double workers = cpuSeconds(perPart, "workers");
        double mailroom = workers + cpuSeconds(perPart, "web") + cpuSeconds(perPart, "postgres") + cpuSeconds(perPart, "redis");
        double jit = cpuSeconds(perPart, "workers_jit") + cpuSeconds(perPart, "web_jit");
        cpuPerMessage = thousandths(1000 * mailroom / o.n());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dkim", o.dkim());
        m.put("worker_ms", thousandths(1000 * workers / o.n()));
        m.put("mailroom_ms", cpuPerMessage);
        m.put("cpu_ms_per_message", cpuPerMessage);
        m.put("cpu_ms_per_message_without_jit", thousandths(1000 * (mailroom - jit) / o.n()));
        return m;
    }

    private static double thousandths(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static double cpuSeconds(Map<String, Object> perPart, String part) {
        return perPart.get(part) instanceof Map<?, ?> m && m.get("cpu_s") instanceof Number n ? n.doubleValue() : 0;
    }

    void pgActivity(Map<String, Object> busy) {
        profile.put("postgres_busy_backends_by_statement", busy);
    }

    void wall(Map<String, Object> loop) {
        profile.put("worker_send_loop_wall_pct", loop);
    }

    void profile(Map<String, Object> jfr) {
        profile.put("worker_cpu_jfr", jfr);
        json.put("profile", profile);
    }

    long bytesPerMessage() {
        return bytesPerMessage;
    }

    int connections() {
        return connections;
    }

    Timeline.Window sinkWindow() {
        return sinkWindow;
    }

    double msgsPerSecond() {
        return msgsPerSecond;
    }

    /** Each target of the issue: figure, limit, met. Throughput counts only with default worker settings. */
    List<Map<String, Object>> targets() {
        List<Map<String, Object>> t = new ArrayList<>();
        double ratio = rawRate <= 0 ? 0 : msgsPerSecond / rawRate;
        String settings = o.defaults() ? "" : " (non-default settings)";
        t.add(target("ratio_to_raw_limit", Percentiles.round(ratio), ">= 0.5 x raw limit" + settings, ratio >= TARGET_RAW_RATIO));
        t.add(target("cpu_ms_per_message", cpuPerMessage, "<= 0.3 (worker+web+pg+redis)" + settings,
                cpuPerMessage <= TARGET_CPU_MS_PER_MESSAGE));
        t.add(target("poll_cpu_ms_per_request", pollCpu, "<= 0.3", pollCpu <= TARGET_POLL_CPU_MS));
        t.add(target("poll_p99_ms", pollP99, "<= 20", pollP99 <= TARGET_POLL_P99_MS));
        t.add(target("enqueue_recipients_per_s", Math.round(enqueueRate), ">= 100000 (1M in 10 s)" + (o.n() < 1_000_000 ? ", extrapolated" : ""),
                enqueueRate >= TARGET_ENQUEUE_PER_S));
        t.add(target("worker_peak_heap_mb", Percentiles.round(peakHeap), "<= 256", peakHeap <= TARGET_HEAP_MB));
        json.put("targets", t);
        return t;
    }

    private static Map<String, Object> target(String name, Object actual, String limit, boolean met) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("actual", actual);
        m.put("target", limit);
        m.put("met", met);
        return m;
    }

    Map<String, Object> json() {
        return json;
    }
}
