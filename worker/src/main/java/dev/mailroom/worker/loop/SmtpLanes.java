package dev.mailroom.worker.loop;

import dev.mailroom.core.port.MailTransport;
import dev.mailroom.core.sender.SmtpSettings;

/** The SMTP connections a served sender keeps open across batches, one per parallel lane. */
final class SmtpLanes implements AutoCloseable {
    private final MailTransport transport;
    private final MailTransport.Connection[] connections;
    private SmtpSettings smtp;

    SmtpLanes(MailTransport transport, int lanes) {
        this.transport = transport;
        this.connections = new MailTransport.Connection[lanes];
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
        close();
        smtp = settings;
    }

    synchronized MailTransport.Connection lane(int i) {
        if (connections[i] == null) connections[i] = transport.open(smtp);
        return connections[i];
    }

    @Override
    public synchronized void close() {
        for (int i = 0; i < connections.length; i++) {
            if (connections[i] != null) connections[i].close();
            connections[i] = null;
        }
    }
}
