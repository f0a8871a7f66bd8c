package dev.mailroom.bench;

import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.ReceivedMail;
import dev.mailroom.testkit.SmtpAuth;
import dev.mailroom.testkit.SmtpFaults;
import java.util.List;

/**
 * The chaos sink: testkit's {@link FaultySmtpServer} in the harness process (it outlives every fault),
 * with scripted faults by address, and the time each message arrived (sampled every 50 ms, so a
 * message's arrival is known to 50 ms, plenty for hourly buckets and recovery times).
 */
final class RecordingSink implements AutoCloseable {
    /** 4xx at RCPT once, then accepted: must end {@code sent}. */
    static final String TEMPFAIL = "t\\d+@tf\\d+\\.chaos\\.test";
    /** 5xx at RCPT (a hard bounce): must end {@code failed}, never at the sink. */
    static final String HARDFAIL = "h\\d+@hb\\d+\\.chaos\\.test";
    /** Connection closed after the DATA terminator: at the sink and {@code uncertain}. */
    static final String DROP = "x\\d+@dr\\d+\\.chaos\\.test";

    private final FaultySmtpServer server = FaultySmtpServer.start();
    private final Timeline arrivals = new Timeline();
    private final long epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    private final Thread sampler;
    private volatile boolean stop;

    RecordingSink() {
        server.faults().recipientsMatching(TEMPFAIL).tempFailRcpt("451 4.3.0 try again later", 1);
        server.faults().recipientsMatching(HARDFAIL).rejectRcpt("550 5.1.1 no such user");
        server.faults().recipientsMatching(DROP).dropAfterData();
        sampler = Thread.ofPlatform().daemon().name("sink-arrivals").start(() -> {
            while (!stop) {
                arrivals.record(System.nanoTime(), server.received().size());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Which fault class an address belongs to: "tempfail", "hardfail", "drop" or "normal". */
    static String kind(String address) {
        if (address.matches(TEMPFAIL)) return "tempfail";
        if (address.matches(HARDFAIL)) return "hardfail";
        if (address.matches(DROP)) return "drop";
        return "normal";
    }

    /** Address i of a chaos campaign: every 100th 4xx-once, every 200th 5xx, every 1000th (from 7) dropped. */
    static String address(String round, long i) {
        if (i % 1000 == 7) return "x" + i + "@dr" + i + ".chaos.test";
        if (i % 200 == 3) return "h" + i + "@hb" + i + ".chaos.test";
        if (i % 100 == 1) return "t" + i + "@tf" + i + ".chaos.test";
        return round + i + "@d" + (i % 100) + ".chaos.test";
    }

    /** The relay's AUTH rules: the relay round refuses every login for a while. */
    SmtpAuth auth() {
        return server.auth();
    }

    /** Faults beyond the address classes above: the relay round refuses one sender's messages by policy. */
    SmtpFaults faults() {
        return server.faults();
    }

    int port() {
        return server.port();
    }

    /** SMTP AUTH logins the sink accepted (the chaos senders log in with the run's password). */
    int logins() {
        return server.logins();
    }

    long count() {
        return server.received().size();
    }

    List<ReceivedMail> received() {
        return server.received();
    }

    /** When each of the first n messages of {@link #received()} arrived, epoch milliseconds (to ~50 ms). */
    long[] arrivalMillis(int n) {
        Timeline.Window w = arrivals.window(-1, Long.MAX_VALUE);
        long[] out = new long[n];
        int p = 0;
        for (int i = 0; i < n; i++) {
            while (p < w.counts().length - 1 && w.counts()[p] <= i) p++;
            long nanos = w.counts().length > 0 && w.counts()[p] > i ? w.nanos()[p] : System.nanoTime();
            out[i] = (nanos + epochOffsetNanos) / 1_000_000L;
        }
        return out;
    }

    @Override
    public void close() {
        stop = true;
        sampler.interrupt();
        server.close();
    }
}
