package dev.mailroom.worker.bounce;

import dev.mailroom.core.bounce.BounceMailbox;
import dev.mailroom.core.bounce.MailboxCursor;
import dev.mailroom.core.error.SafeErrors;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.StoreClosedException;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll of one bounce mailbox over IMAP: each message the previous polls have not read (by UID, from the
 * mailbox's cursor; up to {@link #MAX_PER_POLL}, the oldest first) is parsed and recorded; those that matched a
 * message of ours move to the processed folder (created when missing); everything else stays where it is and
 * is not read again, and nothing is ever deleted: a move is the only thing that takes a message out of the
 * folder. Every network step has a timeout.
 */
final class ImapBounceMailbox {
    private static final Logger log = LoggerFactory.getLogger(ImapBounceMailbox.class);
    static final int MAX_PER_POLL = 500;
    /** A bounce is a few kilobytes; a message this large is no report of ours and is left unread. */
    private static final int MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

    private final int timeoutMillis;
    private final SSLSocketFactory tlsSockets;
    private final BounceReportParser parser = new BounceReportParser();

    ImapBounceMailbox(int timeoutMillis, SSLSocketFactory tlsSockets) {
        this.timeoutMillis = timeoutMillis;
        this.tlsSockets = tlsSockets;
    }

    /** @param cursor where the previous poll stopped; null to read the folder from its start */
    PollOutcome poll(BounceMailbox m, String password, MailboxCursor cursor, RecordBounceReport recorder)
            throws MessagingException {
        Session session = Session.getInstance(properties(m));
        try (Store store = session.getStore("tls".equals(m.tls()) ? "imaps" : "imap")) {
            store.connect(m.host(), m.port(), m.username(), password);
            Folder inbox = store.getFolder(m.folder());
            inbox.open(Folder.READ_WRITE);
            try {
                return readAndMove(m, (IMAPFolder) inbox, store, cursor, recorder);
            } finally {
                inbox.close(false);
            }
        }
    }

    private PollOutcome readAndMove(BounceMailbox m, IMAPFolder inbox, Store store, MailboxCursor cursor,
                                    RecordBounceReport recorder) throws MessagingException {
        long validity = inbox.getUIDValidity();
        long from = cursor == null ? 1 : cursor.startIn(validity);
        Message[] unread = unreadFrom(inbox, from);
        if (unread.length == 0) return new PollOutcome(0, 0, 0, 0, null);
        FetchProfile sizesAndFlags = new FetchProfile();
        sizesAndFlags.add(FetchProfile.Item.SIZE);
        sizesAndFlags.add(FetchProfile.Item.FLAGS);
        inbox.fetch(unread, sizesAndFlags); // one round trip instead of two per message
        List<Message> matched = new ArrayList<>();
        int unmatched = 0, unreadable = 0;
        for (Message msg : unread) {
            try {
                if (msg.isSet(Flags.Flag.DELETED)) {
                    continue; // moved by a server without MOVE or UIDPLUS (see below), or deleted by someone else
                }
                if (msg.getSize() > MAX_MESSAGE_BYTES) {
                    unmatched++;
                } else if (recorder.record(m.senderId(), parser.parse(new MimeMessage((MimeMessage) msg)))) {
                    matched.add(msg);
                } else {
                    unmatched++;
                }
            } catch (FolderClosedException | StoreClosedException e) {
                throw e; // the connection is gone, not the message: this poll fails and the cursor stays
            } catch (MessagingException | java.io.IOException | RuntimeException e) {
                // One malformed message must not stop the rest: it stays in the folder for a person to look at.
                log.warn("bounce mailbox of sender {}: message {} unreadable: {}", m.senderId(), msg.getMessageNumber(),
                        SafeErrors.describe(e));
                unreadable++;
            }
        }
        // UIDs are read before the move: a moved message's number is no longer its own.
        MailboxCursor next = new MailboxCursor(validity, inbox.getUID(unread[unread.length - 1]) + 1);
        if (!matched.isEmpty()) moveToProcessed(m, inbox, store, matched);
        return new PollOutcome(unread.length, matched.size(), unmatched, unreadable, next);
    }

    /**
     * The oldest {@link #MAX_PER_POLL} messages whose UID is {@code from} or later. ({@code UID FETCH n:*}
     * always answers with the last message, even below {@code n}: it is left out.)
     */
    private static Message[] unreadFrom(IMAPFolder inbox, long from) throws MessagingException {
        Message[] range = inbox.getMessagesByUID(from, UIDFolder.LASTUID);
        List<Message> unread = new ArrayList<>(Math.min(range.length, MAX_PER_POLL));
        for (Message msg : range) {
            if (msg != null && inbox.getUID(msg) >= from) unread.add(msg);
            if (unread.size() == MAX_PER_POLL) break;
        }
        return unread.toArray(Message[]::new);
    }

    private static void moveToProcessed(BounceMailbox m, IMAPFolder inbox, Store store, List<Message> matched)
            throws MessagingException {
        Folder processed = store.getFolder(m.processedFolder());
        if (!processed.exists() && !processed.create(Folder.HOLDS_MESSAGES)) {
            throw new FolderUnavailable("the processed folder could not be created: " + m.processedFolder());
        }
        Message[] moving = matched.toArray(Message[]::new);
        IMAPFolder from = inbox;
        IMAPStore imap = (IMAPStore) store;
        if (imap.hasCapability("MOVE")) {
            from.moveMessages(moving, processed);
            return;
        }
        // Without MOVE (RFC 6851): copy, then flag the originals \Deleted; expunge only these, which needs
        // UIDPLUS. A server without it keeps them flagged, and the next poll skips flagged messages — a plain
        // EXPUNGE would also remove whatever else someone flagged in the folder.
        from.copyMessages(moving, processed);
        from.setFlags(moving, new Flags(Flags.Flag.DELETED), true);
        if (imap.hasCapability("UIDPLUS")) from.expunge(moving);
    }

    private Properties properties(BounceMailbox m) {
        String protocol = "tls".equals(m.tls()) ? "imaps" : "imap";
        Properties p = new Properties();
        String t = Integer.toString(timeoutMillis);
        p.put("mail." + protocol + ".connectiontimeout", t);
        p.put("mail." + protocol + ".timeout", t);
        p.put("mail." + protocol + ".writetimeout", t);
        if ("starttls".equals(m.tls())) {
            p.put("mail.imap.starttls.enable", "true");
            p.put("mail.imap.starttls.required", "true");
        }
        if (!"none".equals(m.tls())) {
            p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
            if (tlsSockets != null) p.put("mail." + protocol + ".ssl.socketFactory", tlsSockets);
        }
        return p;
    }

    /** A folder the poll needs cannot be had; the message is ours (no server text), so it can be shown as last_error. */
    static final class FolderUnavailable extends MessagingException {
        FolderUnavailable(String message) {
            super(message);
        }
    }
}
