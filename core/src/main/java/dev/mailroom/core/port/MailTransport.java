package dev.mailroom.core.port;

import dev.mailroom.core.delivery.ConnectionCheck;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.OutgoingMessage;
import dev.mailroom.core.sender.SmtpSettings;

/** SMTP, as the send loop needs it: connections that are reused for many messages. */
public interface MailTransport {
    Connection open(SmtpSettings smtp);

    /**
     * A connection test: connects, says EHLO, upgrades to TLS and authenticates as the settings say, then QUIT.
     * No mail, so no quota; the fault, if any, is named.
     */
    ConnectionCheck check(SmtpSettings smtp);

    interface Connection extends AutoCloseable {
        /** Sends one message; reconnects by itself when the server closed the connection between messages. */
        DeliveryOutcome send(OutgoingMessage message);

        @Override
        void close();
    }
}
