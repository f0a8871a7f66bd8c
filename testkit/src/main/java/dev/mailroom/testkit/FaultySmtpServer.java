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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real SMTP server on 127.0.0.1 that tests script faults into: refusals at MAIL FROM, at RCPT and after
 * DATA, connections dropped after DATA (ambiguous deliveries), refused connections, slow greetings and
 * replies, refused or required AUTH, STARTTLS offered or required, and implicit TLS, with a self-signed
 * {@link TestCertificate}. It records every message whose DATA terminator arrived and that it did not refuse,
 * once per envelope recipient, including those it then dropped: a real server might have delivered them,
 * and "never delivered twice" must count them.
 */
public final class FaultySmtpServer implements AutoCloseable, AfterEachCallback {
    /** What a relay that requires TLS says to AUTH or MAIL sent in the clear. */
    public static final String TLS_REQUIRED = "530 5.7.0 Must issue a STARTTLS command first";
    static final String GREETING = "220 faulty-smtp ESMTP ready";
    static final String ACCEPTED = "250 2.0.0 queued";

    private final ServerSocket listener;
    private final SmtpFaults faults = new SmtpFaults();
    private final List<ReceivedMail> received = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger tlsHandshakes = new AtomicInteger();
    private final SmtpAuth auth = new SmtpAuth();
    private volatile boolean refusing;
    private volatile java.util.function.Consumer<ReceivedMail> onMessage = mail -> {};
    private volatile Duration messageDelay = Duration.ZERO;
    private volatile Duration messageJitter = Duration.ZERO;
    private volatile Duration greetingDelay = Duration.ZERO;
    private volatile Duration replyDelay = Duration.ZERO;
    private volatile String greeting = GREETING;
    private volatile String accepted = ACCEPTED;
    private volatile boolean offerStartTls;
    private volatile boolean requireTls;
    private volatile boolean implicitTls;
    private volatile TestCertificate certificate;
    private volatile SSLContext tls;

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

    /** The AUTH rules: any credentials by default; see {@link SmtpAuth} to refuse or require them. */
    public SmtpAuth auth() {
        return auth;
    }

    /** While on, EHLO lists STARTTLS and the server upgrades the connection when asked. Off by default. */
    public void offerStartTls(boolean on) {
        offerStartTls = on;
    }

    /**
     * While on, STARTTLS is offered and AUTH or MAIL before it is answered {@value #TLS_REQUIRED}, as a relay
     * that never takes credentials or mail in the clear does.
     */
    public void requireTls(boolean on) {
        requireTls = on;
    }

    /**
     * While on, each new connection speaks TLS from its first byte, as on port 465 ("smtps"); STARTTLS is
     * then neither listed nor needed. A client that does not trust the certificate gets no greeting.
     */
    public void implicitTls(boolean on) {
        implicitTls = on;
    }

    /** Presents this certificate from the next TLS handshake on (instead of {@link TestCertificate#shared()}). */
    public void certificate(TestCertificate cert) {
        tls = cert.serverContext();
        certificate = cert;
    }

    /** The certificate the server presents; its {@link TestCertificate#trustStore()} is what clients trust. */
    public TestCertificate certificate() {
        TestCertificate c = certificate;
        if (c == null) {
            synchronized (this) {
                if (certificate == null) certificate(TestCertificate.shared());
                c = certificate;
            }
        }
        return c;
    }

    /** TLS handshakes completed, by STARTTLS or implicit TLS: proof that a client really upgraded. */
    public int tlsHandshakes() {
        return tlsHandshakes.get();
    }

    /**
     * The first line each new connection gets, e.g. {@code "554 5.7.1 go away"} or a banner of another kind of
     * service ({@code "HTTP/1.1 400 Bad Request"}); the session goes on reading commands after it.
     */
    public void greeting(String line) {
        greeting = line;
    }

    /** What a message that is taken is answered after its DATA terminator (default {@value #ACCEPTED}). */
    public void acceptedReply(String line) {
        accepted = line;
    }

    String greeting() {
        return greeting;
    }

    String acceptedReply() {
        return accepted;
    }

    /** A tarpit: how long each new connection waits for its 220 greeting. */
    public void greetingDelay(Duration delay) {
        greetingDelay = delay;
    }

    /**
     * A tarpit: how long the server waits before each reply to a command (334 and 354 included). A DATA
     * terminator waits this plus {@link #messageDelay(Duration)}.
     */
    public void replyDelay(Duration delay) {
        replyDelay = delay;
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

    /**
     * Forgets what was received and every scripted fault, keeping the port: no delays, no TLS offered or
     * required, any credentials accepted, the usual greeting and replies. The login and handshake counts go on.
     */
    public void reset() {
        received.clear();
        faults.clear();
        auth.reset();
        refusing = false;
        messageDelay(Duration.ZERO);
        greetingDelay = Duration.ZERO;
        replyDelay = Duration.ZERO;
        greeting = GREETING;
        accepted = ACCEPTED;
        offerStartTls = false;
        requireTls = false;
        implicitTls = false;
    }

    boolean offersStartTls() {
        return offerStartTls || requireTls;
    }

    boolean requiresTls() {
        return requireTls;
    }

    /** Upgrades a connected socket to TLS, server side, and completes the handshake before anything is read. */
    SSLSocket upgrade(Socket plain) throws IOException {
        certificate();
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, plain.getInetAddress().getHostAddress(),
                plain.getPort(), true);
        s.setUseClientMode(false);
        s.startHandshake();
        tlsHandshakes.incrementAndGet();
        return s;
    }

    void pauseBeforeGreeting() {
        sleep(greetingDelay);
    }

    void pauseBeforeReply() {
        sleep(replyDelay);
    }

    /**
     * Runs for each accepted message before its 250 reply, on the server's session thread: a test can
     * change the world between two messages of one batch, without racing the worker.
     */
    public void onMessage(java.util.function.Consumer<ReceivedMail> action) {
        onMessage = action;
    }

    void record(ReceivedMail mail) {
        received.add(mail);
        onMessage.accept(mail);
    }

    void recordLogin() {
        logins.incrementAndGet();
    }

    void pauseAfterMessage() {
        long jitter = messageJitter.toMillis();
        sleep(messageDelay.plusMillis(jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0));
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) return;
        try {
            Thread.sleep(d);
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
            if (implicitTls) new FaultySmtpSession(this, upgrade(s), true).run();
            else new FaultySmtpSession(this, s, false).run();
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
