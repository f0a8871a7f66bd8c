package dev.mailroom.web.csv;

import dev.mailroom.db.postgres.NewRecipient;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A CSV upload read to its end within its {@link CsvLimits}, every row checked, and written to a temporary
 * file as recipients ready to load — all before the caller takes a database connection, so slow or hostile
 * uploads never hold the pool, and a rejected upload never touches the database. The file (readable by
 * this user only: it holds addresses) is deleted on {@link #close()}, and at once when spooling fails.
 */
public final class RecipientSpool implements AutoCloseable {
    private static final int BUFFER = 1 << 16;

    private final Path file;
    private final long count;
    private final CsvFormat format;
    private final CsvRecipients rows;
    private DataInputStream reading;

    private RecipientSpool(Path file, long count, CsvFormat format, CsvRecipients rows) {
        this.file = file;
        this.count = count;
        this.format = format;
        this.rows = rows;
    }

    /** The delimiter and encoding the upload was read with. */
    public CsvFormat format() {
        return format;
    }

    /** Rows an {@code invalid=skip} upload left out (the first ones), and how many in all. */
    public List<CsvRecipients.Skipped> skipped() {
        return rows.skipped();
    }

    public long skippedCount() {
        return rows.skippedCount();
    }

    /**
     * Reads the upload; an invalid one throws {@code InvalidInput} (400), one too large or too slow
     * {@code HttpFailure} (413, 408), one cut off {@link UncheckedIOException}.
     */
    public static RecipientSpool of(InputStream upload, CsvLimits limits, CsvOptions options) throws IOException {
        Path file = Files.createTempFile(limits.spoolDir(), "mailroom-csv-", ".spool");
        try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER))) {
            var in = new BufferedInputStream(new BoundedUpload(upload, limits.maxBytes(), limits.timeout()), BUFFER);
            CsvFormat format = CsvFormat.of(in, options.delimiter(), options.charset());
            var reader = new CsvReader(new InputStreamReader(in, format.decoder()), format.delimiter(),
                    limits.maxColumns(), limits.maxFieldChars(), limits.maxRowChars());
            CsvRecipients rows = new CsvRecipients(reader, format, options);
            long n = 0;
            while (rows.hasNext()) {
                write(out, rows.next());
                n++;
            }
            return new RecipientSpool(file, n, format, rows);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    public long count() {
        return count;
    }

    /** The spooled recipients in upload order; read once, while the spool is open. */
    public Iterator<NewRecipient> recipients() throws IOException {
        if (reading != null) throw new IllegalStateException("the spool is read once");
        DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER));
        reading = in;
        return new Iterator<>() {
            private long left = count;

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public NewRecipient next() {
                if (left == 0) throw new NoSuchElementException();
                left--;
                try {
                    return new NewRecipient(in.readLong(), readString(in), readString(in), readString(in));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    @Override
    public void close() throws IOException {
        try {
            if (reading != null) reading.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void write(DataOutputStream out, NewRecipient r) throws IOException {
        out.writeLong(r.line());
        writeString(out, r.email());
        writeString(out, r.name());
        writeString(out, r.varsJson());
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
