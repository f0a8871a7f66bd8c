package dev.mailroom.web.api;

import dev.mailroom.web.error.HttpFailure;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes a streamed upload through and fails it (413) once it grows past the limit. */
final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) count(1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) count(n);
        return n;
    }

    private void count(long n) {
        count += n;
        if (count > limit) throw HttpFailure.tooLarge(limit);
    }
}
