package dev.mailroom.core.bounce;

import java.time.Instant;

/**
 * A sender's bounce mailbox: its messages go out with the envelope sender {@code bounces+<token>@domain}
 * (VERP), the domain's MX delivers what comes back to this IMAP mailbox, and a worker reads it.
 *
 * @param sealedPassword the IMAP password, sealed (I19, purpose {@link #PASSWORD_PURPOSE}); never shown
 * @param folder         where reports arrive
 * @param processedFolder where matched reports are moved once recorded; unmatched mail stays in {@code folder}
 * @param checkedAt      when a worker last claimed it for a poll
 * @param lastError      why the last poll failed, in our words (never the server's, which may quote the user name)
 */
public record BounceMailbox(long senderId, String domain, String host, int port, String tls, String username,
                            String sealedPassword, String folder, String processedFolder, Instant checkedAt,
                            String lastError) {
    public static final String PASSWORD_PURPOSE = "bounce_imap_password";

    /** Never the password, sealed or not, nor the user name (I14). */
    @Override
    public String toString() {
        return "BounceMailbox[sender=" + senderId + ", domain=" + domain + ", host=" + host + ":" + port + ", tls=" + tls
                + ", folder=" + folder + ", processedFolder=" + processedFolder + "]";
    }
}
