package dev.mailroom.testkit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A real SMTP server on 127.0.0.1 that tests script faults into: refusals at RCPT, connections dropped
 * after DATA (ambiguous deliveries), refused connections, slow replies. It records every message whose
 * DATA terminator arrived, once per envelope recipient, including those it then dropped: a real server
 * might have delivered them, and "never delivered twice" must count them.
 */
public final class FaultySmtpServer implements AutoCloseable, AfterEachCallback {
    private final ServerSocket listener;
    private final SmtpFaults faults = new SmtpFaults();
    private final List<ReceivedMail> received = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger logins = new AtomicInteger();
    private volatile boolean refusing;
    private volatile Duration messageDelay = Duration.ZERO;
    private volatile Duration messageJitter = Duration.ZERO;

    private FaultySmtpServer(ServerSocket listener) {
        this.listener = listener;
    }

    /** Listens on a random port of 127.0.0.1; one virtual thread per connection. */
    public static FaultySmtpServer start() {
        try {
            FaultySmtpServer s = new FaultySmtpServer(new ServerSocket(0, 100, InetAddress.getLoopbackAddress()));
            Thread.ofVirtual().name("faulty-smtp-accept").start(s::acceptLoop);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    public SmtpFaults faults() {
        return faults;
    }

    /** While on, every new connection is reset before the greeting, as if nothing listened. */
    public void refuseConnections(boolean on) {
        refusing = on;
    }

    /** How long the server takes to answer each DATA terminator (the message is held meanwhile). */
    public void messageDelay(Duration delay) {
        messageDelay(delay, Duration.ZERO);
    }

    /** As {@link #messageDelay(Duration)}, plus a random 0..jitter per message, so timings never fall into step. */
    public void messageDelay(Duration delay, Duration jitter) {
        messageDelay = delay;
        messageJitter = jitter;
    }

    public List<ReceivedMail> received() {
        return List.copyOf(received);
    }

    /** How many times each envelope recipient was received, keyed by lower-cased address. */
    public Map<String, Long> receivedCounts() {
        return received.stream().collect(Collectors.groupingBy(m -> m.recipient().toLowerCase(), Collectors.counting()));
    }

    public long receivedBy(String recipient) {
        return receivedCounts().getOrDefault(recipient.toLowerCase(), 0L);
    }

    /** Successful AUTH exchanges (credentials are accepted, never kept). */
    public int logins() {
        return logins.get();
    }

    /** Forgets what was received and every scripted fault, keeping the port. */
    public void reset() {
        received.clear();
        faults.clear();
        refusing = false;
        messageDelay(Duration.ZERO);
    }

    void record(ReceivedMail mail) {
        received.add(mail);
    }

    void recordLogin() {
        logins.incrementAndGet();
    }

    void pauseAfterMessage() {
        try {
            long jitter = messageJitter.toMillis();
            Thread.sleep(messageDelay.plusMillis(jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                if (refusing) {
                    s.setSoLinger(true, 0);
                    s.close();
                    continue;
                }
                open.add(s);
                Thread.ofVirtual().name("faulty-smtp-" + s.getPort()).start(() -> serve(s));
            } catch (IOException e) {
                if (!listener.isClosed()) throw new UncheckedIOException(e);
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            new FaultySmtpSession(this, s).run();
        } catch (SocketException e) {
            // the client went away or the test closed the server
        } catch (IOException e) {
            // a half-sent command from a client that died: nothing to record
        } finally {
            open.remove(s);
        }
    }

    /** Registered with {@code @RegisterExtension}, the server stops after each test by itself. */
    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
