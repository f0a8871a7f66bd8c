package dev.mailroom.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code scripts/bench}: throughput, scale and memory of the real processes against Postfix smtp-sink.
 * Prints the figures as JSON on stdout (also saved as bench-result.json in the run directory), a short
 * table on stderr, and the messages/s plot as a PNG. Exit status 0 when the run completed, whether or not
 * the targets were met (they are reported); 1 when it could not complete; 2 for a usage error.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        HarnessEnv env = HarnessEnv.fromEnvironment(System.getenv(), "mailroom_bench", 12, "mrbench:", 7171, "bench");
        BenchOptions o;
        try {
            o = BenchOptions.parse(args, env.root());
        } catch (BenchOptions.UsageException e) {
            if (e.getMessage() != null) System.err.println("bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        Path jfr = env.runDir().resolve("jfr");
        if (o.profile()) {
            Files.createDirectories(jfr);
            env = env.withJavaOpts("-Xmx512m -XX:StartFlightRecording=filename=" + jfr + "/{id}.jfr,settings=profile,dumponexit=true");
        }
        RunDir.prepare(env.runDir());
        BenchResult r;
        try {
            r = new Bench(env, o).run();
        } catch (Exception e) {
            System.err.println("bench: the run could not complete: " + e.getMessage());
            System.err.println("bench: logs in " + env.runDir().resolve("logs"));
            System.exit(1);
            return;
        }
        List<Map<String, Object>> targets = r.targets();
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String text = json.writeValueAsString(r.json());
        Files.writeString(env.runDir().resolve("bench-result.json"), text + "\n");
        System.out.println(text);
        table(r, targets);
        if (r.sinkWindow() != null && !r.sinkWindow().isEmpty()) {
            StringBuilder csv = new StringBuilder("second,msgs_per_s\n");
            double[] perSecond = r.sinkWindow().perBucket(1.0);
            for (int i = 0; i < perSecond.length; i++) csv.append(i).append(',').append(Math.round(perSecond[i])).append('\n');
            Files.writeString(env.runDir().resolve("throughput.csv"), csv);
            Object raw = ((Map<?, ?>) r.json().get("raw_limit")).get("msgs_per_s");
            ThroughputPlot.write(o.plot(), "Mailroom send throughput, " + String.format("%,d", o.n()) + " recipients",
                    String.format("%d worker(s), smtp-sink on loopback, %d cores; mean %,.0f msgs/s", o.workers(),
                            Runtime.getRuntime().availableProcessors(), r.msgsPerSecond()),
                    r.sinkWindow().perBucket(bucket(r.sinkWindow().seconds())), bucket(r.sinkWindow().seconds()),
                    List.of(new ThroughputPlot.Line("target: half the raw limit", BenchResult.TARGET_RAW_RATIO * ((Number) raw).doubleValue(),
                                    new Color(214, 39, 40)),
                            new ThroughputPlot.Line("raw smtp-source limit " + String.format("%,d", ((Number) raw).longValue()) + " msgs/s",
                                    ((Number) raw).doubleValue(), new Color(44, 160, 44))));
            System.err.println("plot: " + o.plot());
        }
        System.exit(0);
    }

    /** 1 s buckets, wider for long runs so the plot has at most ~300 points. */
    private static double bucket(double seconds) {
        return Math.max(1, Math.ceil(seconds / 300));
    }

    private static void table(BenchResult r, List<Map<String, Object>> targets) {
        System.err.println();
        System.err.printf("%-28s %-16s %-40s %s%n", "figure", "actual", "target", "met");
        for (Map<String, Object> t : targets) {
            System.err.printf("%-28s %-16s %-40s %s%n", t.get("name"), t.get("actual"), t.get("target"),
                    (Boolean) t.get("met") ? "yes" : "NO");
        }
        Map<?, ?> raw = (Map<?, ?>) r.json().get("raw_limit");
        Map<?, ?> lat = (Map<?, ?>) ((Map<?, ?>) r.json().get("latency")).get("reserve_to_sent");
        System.err.printf("%-28s %-16s%n", "msgs/s", Math.round(r.msgsPerSecond()));
        System.err.printf("%-28s %-16s%n", "raw limit msgs/s", raw.get("msgs_per_s"));
        System.err.printf("%-28s %s / %s ms%n", "reserve->sent p50 / p99", lat.get("p50_ms"), lat.get("p99_ms"));
        Map<?, ?> cpu = (Map<?, ?>) r.json().get("cpu_per_message");
        if (cpu != null) {
            System.err.printf("%-28s %s worker / %s Mailroom ms, %s without JIT compiling%s%n", "CPU per message",
                    cpu.get("worker_ms"), cpu.get("mailroom_ms"), cpu.get("cpu_ms_per_message_without_jit"),
                    Boolean.TRUE.equals(cpu.get("dkim")) ? " (DKIM-signed)" : "");
        }
    }
}
