package dev.mailroom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU seconds used by each part of the system between two snapshots, from /proc/PID/stat (utime +
 * stime): the workers, web, smtp-sink, the harness itself, and every postgres and redis-server process
 * on the machine. On a 2-core machine this shows at once who the sending competes with. For the Java
 * processes of Mailroom the JIT compiler threads' share is counted apart too ({@code workers_jit},
 * {@code web_jit}): a process that has run for days has long compiled its hot code, a run of seconds has not.
 */
final class CpuAccounting {
    private static final double TICKS = 100.0; // USER_HZ on Linux

    private final Fleet fleet;
    private final SmtpSink sink;
    private Map<String, Long> before;
    private long startNanos;

    CpuAccounting(Fleet fleet, SmtpSink sink) {
        this.fleet = fleet;
        this.sink = sink;
    }

    void start() {
        before = snapshot();
        startNanos = System.nanoTime();
    }

    /** Per part: CPU seconds, and the share of the machine's cores over the interval. */
    Map<String, Object> stop() {
        Map<String, Long> after = snapshot();
        double wall = (System.nanoTime() - startNanos) / 1e9;
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("wall_s", Percentiles.round(wall));
        after.forEach((part, ticks) -> {
            double s = (ticks - before.getOrDefault(part, 0L)) / TICKS;
            out.put(part, Map.of("cpu_s", Percentiles.round(s), "pct_of_machine", Percentiles.round(100 * s / (wall * cores))));
        });
        return out;
    }

    private Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 1; i <= fleet.workerCount(); i++) {
            m.merge("workers", ticks(fleet.worker(i).pid()), Long::sum);
            m.merge("workers_jit", jitTicks(fleet.worker(i).pid()), Long::sum);
        }
        m.put("web", ticks(fleet.web().pid()));
        m.put("web_jit", jitTicks(fleet.web().pid()));
        m.put("smtp_sink", ticks(sink.pid()));
        m.put("harness", ticks(ProcessHandle.current().pid()));
        m.put("postgres", byCommand("postgres"));
        m.put("redis", byCommand("redis-server"));
        return m;
    }

    private static long byCommand(String prefix) {
        long total = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Files.readString(p.resolve("comm")).startsWith(prefix)) total += ticks(Long.parseLong(p.getFileName().toString()));
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }

    /** utime + stime of a Java process's JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre"). */
    static long jitTicks(long pid) {
        long total = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    if (Files.readString(t.resolve("comm")).contains("CompilerThre")) total += statTicks(t.resolve("stat"));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    /** utime + stime of one process, in clock ticks (children excluded); 0 when it is gone. */
    static long ticks(long pid) {
        try {
            return statTicks(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long statTicks(Path stat) throws IOException {
        String s = Files.readString(stat);
        List<String> f = List.of(s.substring(s.lastIndexOf(')') + 2).split(" "));
        return Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
    }
}
