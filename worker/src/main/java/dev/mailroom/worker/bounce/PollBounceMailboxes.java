package dev.mailroom.worker.bounce;

import dev.mailroom.core.bounce.BounceMailbox;
import dev.mailroom.core.error.SafeErrors;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.db.postgres.JooqBounceMailboxStore;
import dev.mailroom.db.postgres.JooqBounceStore;
import dev.mailroom.core.secret.VerpAddress;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import java.time.Duration;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounce-mailbox step of a worker:
 * <ol>
 *   <li>claims every mailbox not polled for {@code every} (one statement: one worker per mailbox at a time);</li>
 *   <li>opens its sealed password (I19) and polls it over IMAP ({@link ImapBounceMailbox}) from where the
 *       previous poll stopped, then moves the mailbox's cursor on;</li>
 *   <li>records how it went as the mailbox's {@code last_error}, in our words, and logs counts and the sender
 *       id only — never an address, a user name or a password (I14).</li>
 * </ol>
 */
public final class PollBounceMailboxes {
    private static final Logger log = LoggerFactory.getLogger(PollBounceMailboxes.class);

    private final JooqBounceMailboxStore mailboxes;
    private final SecretSealer sealer;
    private final ImapBounceMailbox imap;
    private final RecordBounceReport recorder;
    private final Duration every;

    public PollBounceMailboxes(JooqBounceMailboxStore mailboxes, SecretSealer sealer, JooqBounceStore bounces,
                               VerpAddress verp, Settings settings) {
        this.mailboxes = mailboxes;
        this.sealer = sealer;
        this.imap = new ImapBounceMailbox(settings.timeoutMillis(), settings.tlsSockets());
        this.recorder = new RecordBounceReport(bounces, verp);
        this.every = settings.every();
    }

    /** How often each mailbox is read, the IMAP timeout, and extra trusted certificates (null: the JDK's). */
    public record Settings(Duration every, int timeoutMillis, SSLSocketFactory tlsSockets) {}

    /** Polls every due mailbox in the calling thread; the seam tests drive it with. */
    public void runOnce() {
        for (BounceMailbox m : mailboxes.claimDue(every)) pollOne(m);
    }

    private void pollOne(BounceMailbox m) {
        String error = null;
        try {
            PollOutcome o = imap.poll(m, sealer.open(m.sealedPassword(), BounceMailbox.PASSWORD_PURPOSE),
                    mailboxes.cursor(m.senderId()).orElse(null), recorder);
            if (o.next() != null) mailboxes.advance(m.senderId(), o.next());
            if (o.read() > 0) {
                log.info("bounce mailbox of sender {}: {} read, {} matched and moved, {} left unmatched, {} unreadable",
                        m.senderId(), o.read(), o.matched(), o.unmatched(), o.unreadable());
            }
        } catch (SecretSealer.SealedSecretUnreadable e) {
            error = "the IMAP password cannot be opened: " + e.getMessage();
        } catch (AuthenticationFailedException e) {
            error = "the IMAP server refused the login";
        } catch (FolderNotFoundException e) {
            error = "the folder " + m.folder() + " does not exist";
        } catch (ImapBounceMailbox.FolderUnavailable e) {
            error = e.getMessage();
        } catch (MessagingException e) {
            error = "IMAP failed: " + SafeErrors.describe(e).split(" at ")[0];
        } catch (RuntimeException e) {
            error = "the poll failed: " + e.getClass().getSimpleName();
        }
        if (error != null) {
            log.warn("bounce mailbox of sender {}: {}", m.senderId(), error);
        }
        try {
            mailboxes.finished(m.senderId(), error);
        } catch (RuntimeException e) {
            log.warn("bounce mailbox of sender {}: its outcome was not saved: {}", m.senderId(), SafeErrors.describe(e));
        }
    }
}
