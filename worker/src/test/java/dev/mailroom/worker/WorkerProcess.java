package dev.mailroom.worker;

import dev.mailroom.testkit.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code WorkerMain} in a JVM of its own, so a test can SIGKILL it the way an OOM killer or a lost
 * host would. Its output goes to a file the test reads.
 */
final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private WorkerProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static WorkerProcess start(Map<String, String> extraEnv) {
        try {
            Path output = Files.createTempFile("worker-process", ".log");
            String java = ProcessHandle.current().info().command().orElse("java");
            // The production logging configuration, not the tests' logback-test.xml that the class path also
            // holds: MAILROOM_LOG_FORMAT=json must mean what it means in production.
            ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-Dlogback.configurationFile=logback.xml",
                    "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName()));
            pb.environment().clear();
            pb.environment().putAll(TestServices.mainEnvironment(extraEnv));
            pb.redirectErrorStream(true).redirectOutput(output.toFile());
            return new WorkerProcess(pb.start(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no finally block, no released lock. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM: the worker's graceful shutdown hook runs. */
    int stop() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }
}
