package dev.mailroom.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One GET, sent again and again over kept-alive HTTP/1.1 connections (a pool that grows to whatever is in
 * flight at once). The poll load's client: {@code java.net.http}'s costs ~1.5 ms of CPU per request here,
 * and on a 2-core machine a heavy load generator takes the cores it is meant to measure; an ops dashboard
 * polling Mailroom runs on another machine. A request is one write and, for a small answer, one read.
 */
final class KeepAliveGet implements AutoCloseable {
    private final InetSocketAddress address;
    private final byte[] request;
    private final int timeoutMillis;
    private final ConcurrentLinkedQueue<Connection> idle = new ConcurrentLinkedQueue<>();

    KeepAliveGet(URI uri, String authorization, int timeoutMillis) {
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.timeoutMillis = timeoutMillis;
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        this.request = ("GET " + target + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAuthorization: " + authorization + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The response's status code; the body is read and dropped. A connection that failed is closed, not reused. */
    int get() throws IOException {
        Connection c = idle.poll();
        if (c == null) c = new Connection();
        try {
            int status = c.exchange();
            if (c.reusable) idle.offer(c);
            else c.close();
            return status;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (Connection c; (c = idle.poll()) != null; ) c.close();
    }

    private final class Connection {
        private final Socket socket = new Socket();
        private final InputStream in;
        private final OutputStream out;
        private boolean reusable = true;

        Connection() throws IOException {
            socket.setTcpNoDelay(true);
            socket.connect(address, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            in = new BufferedInputStream(socket.getInputStream(), 16_384);
            out = socket.getOutputStream();
        }

        int exchange() throws IOException {
            out.write(request);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String h; !(h = line()).isEmpty(); ) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Long.parseLong(lower.substring(15).trim());
                else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
                else if (lower.startsWith("connection:") && lower.contains("close")) reusable = false;
            }
            if (chunked) {
                for (long size; (size = Long.parseLong(line().split(";", 2)[0].trim(), 16)) > 0; ) {
                    skip(size);
                    line();
                }
                while (!line().isEmpty()) { } // trailers
            } else if (length >= 0) {
                skip(length);
            } else {
                reusable = false; // a body up to the connection's end
            }
            return status;
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int ch; (ch = in.read()) != '\n'; ) {
                if (ch < 0) throw new EOFException("the server closed the connection");
                if (ch != '\r') b.append((char) ch);
            }
            return b.toString();
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long k = in.skip(n);
                if (k <= 0) {
                    if (in.read() < 0) throw new EOFException("the server closed the connection");
                    k = 1;
                }
                n -= k;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
