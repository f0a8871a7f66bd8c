package dev.mailroom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the workers' CPU went, from their JFR recordings (jdk.ExecutionSample): by library (the first
 * non-JDK frame of each sample's stack), by the Mailroom method on the stack nearest its top, and by
 * top frame.
 */
final class JfrSummary {
    private static final Map<String, String> LIBRARIES = new LinkedHashMap<>();

    static {
        LIBRARIES.put("org.postgresql.", "PostgreSQL JDBC driver");
        LIBRARIES.put("org.jooq.", "jOOQ (SQL rendering, binding, mapping)");
        LIBRARIES.put("com.zaxxer.hikari.", "HikariCP");
        LIBRARIES.put("org.redisson.", "Redisson");
        LIBRARIES.put("io.netty.", "Netty (Redisson's transport)");
        LIBRARIES.put("redis.clients.jedis.", "Jedis");
        LIBRARIES.put("org.apache.commons.pool2.", "Jedis");
        LIBRARIES.put("org.eclipse.angus.", "Angus Mail (SMTP, MIME)");
        LIBRARIES.put("jakarta.mail.", "Angus Mail (SMTP, MIME)");
        LIBRARIES.put("jakarta.activation.", "Angus Mail (SMTP, MIME)");
        LIBRARIES.put("org.eclipse.angus.activation.", "Angus Mail (SMTP, MIME)");
        LIBRARIES.put("com.fasterxml.jackson.", "Jackson (live events JSON)");
        LIBRARIES.put("io.micrometer.", "Micrometer");
        LIBRARIES.put("ch.qos.logback.", "Logback");
        LIBRARIES.put("org.slf4j.", "Logback");
        LIBRARIES.put("dev.mailroom.", "Mailroom code itself");
    }

    private JfrSummary() {}

    static Map<String, Object> summarize(Path dir) throws IOException {
        Map<String, Long> byLibrary = new HashMap<>();
        Map<String, Long> byMailroom = new HashMap<>();
        Map<String, Long> byTop = new HashMap<>();
        long total = 0;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".jfr")).toList();
        }
        for (Path f : files) {
            try (RecordingFile rf = new RecordingFile(f)) {
                while (rf.hasMoreEvents()) {
                    RecordedEvent e = rf.readEvent();
                    if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) continue;
                    List<RecordedFrame> frames = e.getStackTrace().getFrames();
                    if (frames.isEmpty()) continue;
                    total++;
                    byTop.merge(name(frames.get(0)), 1L, Long::sum);
                    byLibrary.merge(library(frames), 1L, Long::sum);
                    frames.stream().map(JfrSummary::name).filter(n -> n.startsWith("dev.mailroom.")).findFirst()
                            .ifPresent(n -> byMailroom.merge(n, 1L, Long::sum));
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu_samples", total);
        out.put("by_library_pct", top(byLibrary, total, 12));
        out.put("by_nearest_mailroom_method_pct", top(byMailroom, total, 15));
        out.put("by_top_frame_pct", top(byTop, total, 15));
        return out;
    }

    private static String library(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String n = name(f);
            for (var e : LIBRARIES.entrySet()) if (n.startsWith(e.getKey())) return e.getValue();
        }
        return "JDK only (" + name(frames.get(0)).replaceAll("\\.[^.]+\\.[^.]+$", "") + ")";
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static Map<String, Double> top(Map<String, Long> counts, long total, int n) {
        Map<String, Double> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(e -> out.put(e.getKey(), Percentiles.round(100.0 * e.getValue() / Math.max(1, total))));
        return out;
    }
}
