package dev.mailroom.web.csv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Limits of one CSV upload, generous enough for a real CRM export: beyond {@code maxBytes} → 413, past
 * {@code timeout} → 408, a header or row with more than {@code maxColumns} fields, a field longer than
 * {@code maxFieldChars} or a row longer than {@code maxRowChars} → 400. Uploads are spooled to
 * {@code spoolDir} before they are loaded.
 */
public record CsvLimits(long maxBytes, int maxColumns, int maxFieldChars, int maxRowChars, Duration timeout,
                        Path spoolDir) {
    public static final long DEFAULT_MAX_BYTES = 512L * 1024 * 1024;
    public static final int DEFAULT_MAX_COLUMNS = 200;
    public static final int DEFAULT_MAX_FIELD_CHARS = 64 * 1024;
    public static final int DEFAULT_MAX_ROW_CHARS = 1024 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    public static final Path DEFAULT_SPOOL_DIR = Path.of(System.getProperty("java.io.tmpdir"));

    public CsvLimits {
        if (maxBytes < 1024) throw new IllegalArgumentException("MAILROOM_MAX_CSV_BYTES must be at least 1024");
        if (maxColumns < 2) throw new IllegalArgumentException("MAILROOM_CSV_MAX_COLUMNS must be at least 2");
        if (maxFieldChars < 256) throw new IllegalArgumentException("MAILROOM_CSV_MAX_FIELD_CHARS must be at least 256");
        if (maxRowChars < maxFieldChars) {
            throw new IllegalArgumentException("MAILROOM_CSV_MAX_ROW_CHARS must be at least MAILROOM_CSV_MAX_FIELD_CHARS");
        }
        if (timeout.toMillis() < 1000) throw new IllegalArgumentException("MAILROOM_CSV_UPLOAD_TIMEOUT_MS must be at least 1000");
        if (!Files.isDirectory(spoolDir) || !Files.isWritable(spoolDir)) {
            throw new IllegalArgumentException("MAILROOM_CSV_SPOOL_DIR " + spoolDir + " is not a writable directory");
        }
    }
}
