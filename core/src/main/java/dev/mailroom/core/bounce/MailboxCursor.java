package dev.mailroom.core.bounce;

/**
 * Where a bounce mailbox's reader goes on from: the first IMAP UID not yet read, valid only under the
 * folder's {@code uidValidity} (RFC 3501 2.3.1.1).
 */
public record MailboxCursor(long uidValidity, long nextUid) {
    /** The UID to read from in a folder whose UIDVALIDITY is {@code folderValidity}: 1 when this cursor is of another. */
    public long startIn(long folderValidity) {
        return folderValidity == uidValidity ? nextUid : 1;
    }
}
