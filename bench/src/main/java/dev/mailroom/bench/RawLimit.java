package dev.mailroom.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The machine's own limit for the same traffic: Postfix {@code smtp-source} into the same
 * {@code smtp-sink}, with the message size and the number of connections Mailroom used, many messages
 * per connection ({@code -d}), measured the same way (the sink's counter).
 */
final class RawLimit {
    static final String BIN = "/usr/sbin/smtp-source";
    /** What smtp-source adds around its -l body per transaction (commands and headers), measured by rchar. */
    static final int ENVELOPE_BYTES = 196;

    record Result(long messages, double seconds, double msgsPerSecond, long bytesPerMessage, int connections,
                  int bodyLength) {}

    private RawLimit() {}

    static Result measure(SmtpSink sink, long messages, int connections, long targetBytesPerMessage, Path runDir)
            throws IOException, InterruptedException {
        int length = (int) Math.max(100, targetBytesPerMessage - ENVELOPE_BYTES);
        long base = sink.count();
        long bytesBefore = sink.bytesRead();
        Process p = new ProcessBuilder(List.of(BIN, "-d", "-l", Integer.toString(length), "-m", Long.toString(messages),
                "-s", Integer.toString(connections), "-f", "raw@source.mailroom.test", "-t", "sink@sink.mailroom.test",
                "127.0.0.1:" + sink.port()))
                .redirectErrorStream(true).redirectOutput(runDir.resolve("logs/smtp-source.log").toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("smtp-source did not finish within 10 minutes");
        }
        if (p.exitValue() != 0) throw new IOException("smtp-source exited with " + p.exitValue() + " (see logs/smtp-source.log)");
        Thread.sleep(300);
        long bytes = sink.bytesRead() - bytesBefore;
        Timeline.Window w = sink.timeline().window(base, base + messages);
        return new Result(messages, w.seconds(), w.rate(), messages == 0 ? 0 : bytes / messages, connections, length);
    }
}
