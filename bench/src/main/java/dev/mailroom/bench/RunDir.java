package dev.mailroom.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The run directory: emptied of the previous run's logs and pid file, kept otherwise. */
final class RunDir {
    private RunDir() {}

    static void prepare(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("pids"));
        Path logs = dir.resolve("logs");
        if (Files.isDirectory(logs)) {
            try (Stream<Path> s = Files.walk(logs)) {
                s.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(logs)).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(logs);
    }
}
