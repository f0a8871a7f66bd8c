package dev.mailroom.web.api;

/** {@code PUT /api/senders/{id}/bounce-mailbox}: a password left out keeps the stored one. */
public record BounceMailboxRequest(String domain, Imap imap, String folder, String processedFolder) {
    public record Imap(String host, Integer port, String tls, String username, String password) {}
}
