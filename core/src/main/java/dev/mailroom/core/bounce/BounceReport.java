package dev.mailroom.core.bounce;

import java.util.List;

/**
 * What one message in a bounce mailbox says, once read: a DSN or an ARF report about a message we may have
 * sent. Nothing here is trusted yet; matching it to a recipient is the store's job.
 *
 * @param reportId          the report's own Message-ID (or a digest of it when it has none): read twice, recorded once
 * @param returnAddresses   where the report was sent and whom the original came from: a VERP address of ours among them names the recipient
 * @param originalMessageId the Message-ID of the returned original message or headers, when it came back
 * @param bounces           what it says about each address; empty when it is no bounce we understand
 */
public record BounceReport(String reportId, List<String> returnAddresses, String originalMessageId, List<LaterBounce> bounces) {
    public BounceReport {
        returnAddresses = List.copyOf(returnAddresses);
        bounces = List.copyOf(bounces);
    }
}
