package dev.mailroom.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongFunction;

/** Writes an upload file: header {@code email,name,plan}, one row per recipient, addresses made by a function. */
final class RecipientCsv {
    private RecipientCsv() {}

    /** Bench addresses: spread over 100 loopback-only domains under .mailroom.test. */
    static String benchAddress(long i) {
        return "u" + i + "@d" + (i % 100) + ".mailroom.test";
    }

    static Path write(Path file, long n, LongFunction<String> address) throws IOException {
        Files.createDirectories(file.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("email,name,plan\n");
            StringBuilder line = new StringBuilder(96);
            for (long i = 0; i < n; i++) {
                line.setLength(0);
                line.append(address.apply(i)).append(",User ").append(i).append(',').append(i % 3 == 0 ? "pro" : "free").append('\n');
                w.append(line);
            }
        }
        return file;
    }
}
