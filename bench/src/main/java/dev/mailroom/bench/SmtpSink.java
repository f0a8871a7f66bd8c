package dev.mailroom.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Postfix's {@code smtp-sink} on the loopback, with its running counter ({@code -c}) read into a
 * {@link Timeline}. The counter is written through a 4 KB stdio-like buffer, so every point arrives
 * the same ~100 messages late: rates over a window are exact, the last ~100 messages of a run are
 * only seen once more output follows (the run's end is taken from the last point seen).
 */
public final class SmtpSink implements AutoCloseable {
    public static final String BIN = "/usr/sbin/smtp-sink";

    private final int port;
    private final Process process;
    private final Timeline timeline = new Timeline();

    private SmtpSink(int port, Process process) {
        this.port = port;
        this.process = process;
        Thread.ofPlatform().daemon().name("smtp-sink-counter").start(this::readCounter);
    }

    /** {@code smtp-sink [-u nobody] -c 127.0.0.1:PORT 1000}: as root it must drop to an unprivileged user. */
    public static SmtpSink start(int port, Path runDir) {
        if (portOpen(port)) throw new IllegalStateException("port " + port + " is taken on 127.0.0.1; pass --sink-port");
        List<String> cmd = new ArrayList<>(List.of(BIN));
        if ("root".equals(System.getProperty("user.name"))) cmd.addAll(List.of("-u", "nobody"));
        cmd.addAll(List.of("-c", "127.0.0.1:" + port, "1000"));
        try {
            Path logs = Files.createDirectories(runDir.resolve("logs"));
            Process p = new ProcessBuilder(cmd).redirectError(logs.resolve("smtp-sink.log").toFile()).start();
            Files.writeString(runDir.resolve("pids"), "smtp-sink " + p.pid() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            for (int i = 0; i < 100 && !portOpen(port); i++) {
                if (!p.isAlive()) throw new IllegalStateException(BIN + " exited at start (see logs/smtp-sink.log)");
                Thread.sleep(50);
            }
            return new SmtpSink(port, p);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + BIN, e);
        }
    }

    private static boolean portOpen(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Timeline timeline() {
        return timeline;
    }

    /** Messages the sink has reported so far (lagging by its output buffer). */
    public long count() {
        return timeline.last();
    }

    /** Bytes the sink has read from its sockets (/proc/PID/io rchar): the size of what it received. */
    public long bytesRead() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/io"))) {
                if (line.startsWith("rchar:")) return Long.parseLong(line.substring(6).trim());
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        return -1;
    }

    /** Established connections to the sink right now, from /proc/net/tcp. */
    public int connections() {
        String local = String.format(":%04X ", port);
        int n = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && (f[1] + " ").endsWith(local) && "01".equals(f[3])) n++;
            }
        } catch (IOException e) {
            return -1;
        }
        return n;
    }

    /** Lines like {@code sess=3 quit=2 mesg=1234\r}. */
    private void readCounter() {
        try (InputStream in = process.getInputStream()) {
            byte[] buf = new byte[8192];
            StringBuilder token = new StringBuilder();
            for (int n; (n = in.read(buf)) > 0; ) {
                long now = System.nanoTime();
                String chunk = new String(buf, 0, n, StandardCharsets.US_ASCII);
                for (int i = 0; i < chunk.length(); i++) {
                    char c = chunk.charAt(i);
                    if (c == '\r' || c == '\n') {
                        parse(token.toString(), now);
                        token.setLength(0);
                    } else {
                        token.append(c);
                    }
                }
            }
        } catch (IOException e) {
            // the sink stopped
        }
    }

    private void parse(String line, long now) {
        int m = line.indexOf("mesg=");
        if (m < 0) return;
        try {
            timeline.record(now, Long.parseLong(line.substring(m + 5).trim()));
        } catch (NumberFormatException e) {
            // a torn token
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
