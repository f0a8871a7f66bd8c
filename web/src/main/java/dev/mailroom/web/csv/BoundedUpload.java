package dev.mailroom.web.csv;

import dev.mailroom.web.error.HttpFailure;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Passes a streamed upload through and fails it once it grows past its size (413) or its time (408). A
 * client that sends nothing at all is ended by the server's idle timeout instead: a read then throws.
 */
final class BoundedUpload extends FilterInputStream {
    private final long maxBytes;
    private final Duration timeout;
    private final long deadline;
    private long count;

    BoundedUpload(InputStream in, long maxBytes, Duration timeout) {
        super(in);
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.deadline = System.nanoTime() + timeout.toNanos();
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        counted(b >= 0 ? 1 : 0);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        counted(Math.max(n, 0));
        return n;
    }

    private void counted(long n) {
        count += n;
        if (count > maxBytes) throw HttpFailure.tooLarge(maxBytes);
        if (System.nanoTime() - deadline > 0) {
            throw new HttpFailure(408, "upload-timeout", "Request Timeout",
                    "the upload did not finish within " + timeout.toSeconds() + " s");
        }
    }
}
