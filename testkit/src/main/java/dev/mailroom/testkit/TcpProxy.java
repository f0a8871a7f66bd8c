package dev.mailroom.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay in front of a real server, for outages that must not touch the server itself (a
 * shared Redis): {@link #cut} drops every connection as a network blip or CLIENT KILL would, {@link #down}
 * and {@link #up} refuse connections for a while as a restart does, and {@link #freeze} leaves the
 * connections open but silent, as a dead network path that never sends a FIN.
 */
public final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final int port;
    private final Set<Relay> relays = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile ServerSocket listener;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        acceptOn(listener);
    }

    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Connections accepted so far: a client that reconnected shows here. */
    public int accepted() {
        return accepted.get();
    }

    /** Closes every relayed connection; new ones are still accepted. */
    public void cut() {
        for (Relay r : relays) r.close();
    }

    /** Stops listening and cuts every connection: clients are refused until {@link #up}. */
    public synchronized void down() {
        closeQuietly(listener);
        cut();
    }

    /** Listens again, on the same port. */
    public synchronized void up() {
        if (!listener.isClosed()) return;
        try {
            listener = listen(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptOn(listener);
    }

    /** The connections open now stay open and carry nothing more, either way; later ones work. */
    public void freeze() {
        for (Relay r : relays) r.frozen = true;
    }

    @Override
    public void close() {
        down();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void acceptOn(ServerSocket server) {
        Thread.ofPlatform().daemon().name("tcp-proxy-" + port).start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    accepted.incrementAndGet();
                    Socket upstream;
                    try {
                        upstream = new Socket(target.getAddress(), target.getPort());
                    } catch (IOException e) {
                        closeQuietly(client); // the target refused: so does the proxy
                        continue;
                    }
                    Relay r = new Relay(client, upstream);
                    relays.add(r);
                    Thread.ofVirtual().start(() -> r.pump(client, upstream));
                    Thread.ofVirtual().start(() -> r.pump(upstream, client));
                } catch (IOException e) {
                    // closed by down()
                }
            }
        });
    }

    private final class Relay {
        private final Socket a, b;
        private volatile boolean frozen;

        Relay(Socket a, Socket b) {
            this.a = a;
            this.b = b;
        }

        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (frozen) continue; // swallowed: the other side hears nothing
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: the relay ends
            } finally {
                close();
            }
        }

        void close() {
            relays.remove(this);
            closeQuietly(a);
            closeQuietly(b);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing is all that was wanted
        }
    }
}
