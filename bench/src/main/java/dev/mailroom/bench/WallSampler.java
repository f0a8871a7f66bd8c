package dev.mailroom.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the worker's send loop spends its wall time: every {@code periodMs} a JSON thread dump
 * ({@code jcmd PID Thread.dump_to_file -format=json}, virtual threads included) and, for the sender
 * thread that runs the batch loop, the innermost Mailroom frame and the library frame below it.
 * CPU profiles miss time spent waiting on PostgreSQL, Redis or SMTP; this does not.
 */
final class WallSampler implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long pid;
    private final Path dir;
    private final long periodMs;
    private final Map<String, Long> loop = new HashMap<>();
    private final Thread thread;
    private volatile boolean stop;
    private long dumps;

    WallSampler(long pid, Path dir, long periodMs) {
        this.pid = pid;
        this.dir = dir;
        this.periodMs = periodMs;
        this.thread = Thread.ofPlatform().daemon().name("wall-sampler").start(this::run);
    }

    private void run() {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Path file = dir.resolve("dump.json");
        while (!stop) {
            try {
                Files.deleteIfExists(file);
                Process p = new ProcessBuilder(jcmd, Long.toString(pid), "Thread.dump_to_file", "-format=json", file.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(10, TimeUnit.SECONDS) && Files.exists(file)) record(JSON.readTree(file.toFile()));
                Thread.sleep(periodMs);
            } catch (IOException e) {
                // the worker is busy or gone: skip this sample
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void record(JsonNode dump) {
        synchronized (loop) {
            dumps++;
            for (JsonNode container : dump.path("threadDump").path("threadContainers")) {
                for (JsonNode t : container.path("threads")) {
                    if (!t.path("name").asText().startsWith("sender-")) continue;
                    loop.merge(where(t.path("stack")), 1L, Long::sum);
                }
            }
        }
    }

    /** "innermost Mailroom methods (3 levels) <- the library it is in", e.g. evalSha < reserve < batch <- io.netty. */
    private static String where(JsonNode stack) {
        String below = null;
        java.util.List<String> ours = new java.util.ArrayList<>();
        for (JsonNode f : stack) {
            String frame = f.asText().replaceAll("\\(.*", "");
            if (frame.startsWith("dev.mailroom.")) {
                String m = frame.substring(frame.lastIndexOf('.', frame.lastIndexOf('.') - 1) + 1);
                if (ours.isEmpty() || !ours.get(ours.size() - 1).equals(m)) ours.add(m);
                if (ours.size() == 3) break;
            } else if (ours.isEmpty() && (below == null || below.startsWith("java.") || below.startsWith("jdk."))) {
                below = frame.replaceAll("^((?:[a-z]+\\.){1,3}).*", "$1").replaceAll("\\.$", "");
            }
        }
        if (ours.isEmpty()) return "(outside Mailroom code)";
        return String.join(" < ", ours) + (below == null ? "" : "  <- " + below);
    }

    Map<String, Object> summary() {
        Map<String, Object> out = new LinkedHashMap<>();
        synchronized (loop) {
            long total = loop.values().stream().mapToLong(Long::longValue).sum();
            out.put("dumps", dumps);
            loop.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(15)
                    .forEach(e -> out.put(e.getKey(), Percentiles.round(100.0 * e.getValue() / Math.max(1, total))));
        }
        return out;
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
