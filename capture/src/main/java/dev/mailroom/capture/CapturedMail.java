package dev.mailroom.capture;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.MessagingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Read/purge view over the messages GreenMail has received (one copy per envelope recipient). */
final class CapturedMail {

    /** One delivered copy: {@code to} is the envelope recipient (the GreenMail mailbox). */
    record Delivery(String to, String subject, String messageId, Instant receivedAt, long uid) {}

    record Counts(int count, int distinctMessageIds) {}

    private static final Comparator<Delivery> NEWEST_FIRST =
            Comparator.comparing(Delivery::receivedAt).thenComparingLong(Delivery::uid).reversed();

    private final GreenMail greenMail;

    CapturedMail(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    Counts counts() {
        List<StoredMessage> all = greenMail.getManagers().getImapHostManager().getAllMessages();
        Set<String> ids = new HashSet<>();
        for (StoredMessage m : all) {
            String id = header(m, "Message-ID");
            if (id != null) {
                ids.add(id);
            }
        }
        return new Counts(all.size(), ids.size());
    }

    List<Delivery> newest(int limit) throws FolderException {
        ImapHostManager hosts = greenMail.getManagers().getImapHostManager();
        List<Delivery> out = new ArrayList<>();
        for (GreenMailUser user : greenMail.getUserManager().listUser()) {
            for (StoredMessage m : hosts.getInbox(user).getMessages()) {
                out.add(new Delivery(user.getEmail(), subject(m), header(m, "Message-ID"),
                        m.getReceivedDate().toInstant(), m.getUid()));
            }
        }
        out.sort(NEWEST_FIRST);
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** The first captured copy with this Message-ID as delivered (headers and body bytes), or null. */
    byte[] raw(String messageId) throws MessagingException, java.io.IOException {
        for (StoredMessage m : greenMail.getManagers().getImapHostManager().getAllMessages()) {
            if (messageId.equals(header(m, "Message-ID"))) {
                var out = new java.io.ByteArrayOutputStream();
                m.getMimeMessage().writeTo(out);
                return out.toByteArray();
            }
        }
        return null;
    }

    void purge() throws FolderException {
        greenMail.purgeEmailFromAllMailboxes();
    }

    private static String subject(StoredMessage m) {
        try {
            return m.getMimeMessage().getSubject(); // RFC 2047-decoded
        } catch (MessagingException e) {
            return header(m, "Subject");
        }
    }

    private static String header(StoredMessage m, String name) {
        try {
            String value = m.getMimeMessage().getHeader(name, null);
            return value == null ? null : value.trim();
        } catch (MessagingException e) {
            return null;
        }
    }
}
