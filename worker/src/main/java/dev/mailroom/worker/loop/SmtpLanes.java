package dev.mailroom.worker.loop;

import dev.mailroom.core.port.MailTransport;
import dev.mailroom.core.sender.SmtpSettings;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The SMTP connections a served sender keeps open across batches, one per parallel lane, and the threads
 * that drive them. Platform threads, not virtual: a lane blocks on its socket for every SMTP reply, and a
 * virtual thread pays for each such wait with a park, a poller registration and a wake-up (~15 % of the
 * worker's CPU in a profile), where a platform thread just waits in the kernel.
 */
final class SmtpLanes implements AutoCloseable {
    private final MailTransport transport;
    private final MailTransport.Connection[] connections;
    private final ExecutorService threads;
    private SmtpSettings smtp;

    SmtpLanes(MailTransport transport, int lanes) {
        this.transport = transport;
        this.connections = new MailTransport.Connection[lanes];
        this.threads = Executors.newFixedThreadPool(lanes, Thread.ofPlatform().name("smtp-lane-", 0).daemon().factory());
    }

    /** Where the lanes run. */
    ExecutorService threads() {
        return threads;
    }

    int size() {
        return connections.length;
    }

    /** Whether the lanes are open (or would open) with these settings. */
    synchronized boolean uses(SmtpSettings settings) {
        return settings.equals(smtp);
    }

    /** Re-opens every lane when the sender's SMTP settings changed since the last batch. */
    synchronized void use(SmtpSettings settings) {
        if (settings.equals(smtp)) return;
        closeConnections();
        smtp = settings;
    }

    synchronized MailTransport.Connection lane(int i) {
        if (connections[i] == null) connections[i] = transport.open(smtp);
        return connections[i];
    }

    /** Closes the connections; the lanes open them again when next used. */
    synchronized void closeConnections() {
        for (int i = 0; i < connections.length; i++) {
            if (connections[i] != null) connections[i].close();
            connections[i] = null;
        }
    }

    @Override
    public void close() {
        closeConnections();
        threads.shutdown();
    }
}
