package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.SENDER;

import dev.mailroom.core.bounce.BounceMailbox;
import dev.mailroom.core.bounce.MailboxCursor;
import dev.mailroom.db.generated.tables.records.SenderRecord;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

/** A sender's bounce mailbox settings (kept on the sender row) and the claim that lets one worker poll it at a time. */
public final class JooqBounceMailboxStore {
    private final DSLContext dsl;

    public JooqBounceMailboxStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    public Optional<BounceMailbox> find(long senderId) {
        return dsl.selectFrom(SENDER).where(SENDER.ID.eq(senderId), SENDER.BOUNCE_IMAP_HOST.isNotNull())
                .fetchOptional(JooqBounceMailboxStore::toMailbox);
    }

    /**
     * Replaces the settings; the mailbox is polled at the next tick and its old error is forgotten. False: no
     * such sender.
     */
    public boolean save(BounceMailbox m) {
        return dsl.update(SENDER)
                .set(SENDER.BOUNCE_DOMAIN, m.domain())
                .set(SENDER.BOUNCE_IMAP_HOST, m.host())
                .set(SENDER.BOUNCE_IMAP_PORT, m.port())
                .set(SENDER.BOUNCE_IMAP_TLS, m.tls())
                .set(SENDER.BOUNCE_IMAP_USERNAME, m.username())
                .set(SENDER.BOUNCE_IMAP_PASSWORD, m.sealedPassword())
                .set(SENDER.BOUNCE_IMAP_FOLDER, m.folder())
                .set(SENDER.BOUNCE_PROCESSED_FOLDER, m.processedFolder())
                .setNull(SENDER.BOUNCE_CHECKED_AT)
                .setNull(SENDER.BOUNCE_LAST_ERROR)
                // The reader goes on where it stopped unless this is another mailbox or folder (SET reads the old row).
                .set(SENDER.BOUNCE_UID_VALIDITY, DSL.when(sameFolder(m), SENDER.BOUNCE_UID_VALIDITY))
                .set(SENDER.BOUNCE_NEXT_UID, DSL.when(sameFolder(m), SENDER.BOUNCE_NEXT_UID))
                .set(SENDER.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(SENDER.ID.eq(m.senderId())).execute() > 0;
    }

    private static Condition sameFolder(BounceMailbox m) {
        return SENDER.BOUNCE_IMAP_HOST.isNotDistinctFrom(m.host()).and(SENDER.BOUNCE_IMAP_PORT.isNotDistinctFrom(m.port()))
                .and(SENDER.BOUNCE_IMAP_USERNAME.isNotDistinctFrom(m.username()))
                .and(SENDER.BOUNCE_IMAP_FOLDER.isNotDistinctFrom(m.folder()));
    }

    /** Forgets the mailbox and its bounce domain (no VERP without a reader). False: there was none. */
    public boolean delete(long senderId) {
        var update = dsl.update(SENDER).setNull(SENDER.BOUNCE_DOMAIN);
        for (Field<?> f : List.of(SENDER.BOUNCE_IMAP_HOST, SENDER.BOUNCE_IMAP_PORT, SENDER.BOUNCE_IMAP_TLS,
                SENDER.BOUNCE_IMAP_USERNAME, SENDER.BOUNCE_IMAP_PASSWORD, SENDER.BOUNCE_IMAP_FOLDER,
                SENDER.BOUNCE_PROCESSED_FOLDER, SENDER.BOUNCE_CHECKED_AT, SENDER.BOUNCE_LAST_ERROR,
                SENDER.BOUNCE_UID_VALIDITY, SENDER.BOUNCE_NEXT_UID)) {
            update = update.setNull(f);
        }
        return update.set(SENDER.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(SENDER.ID.eq(senderId), SENDER.BOUNCE_IMAP_HOST.isNotNull()).execute() > 0;
    }

    /**
     * Claims every mailbox not polled for {@code every}: one statement stamps {@code bounce_checked_at}, so of
     * several workers ticking at once exactly one gets each mailbox (rows another claimant holds are skipped).
     */
    public List<BounceMailbox> claimDue(Duration every) {
        var due = dsl.select(SENDER.ID).from(SENDER)
                .where(SENDER.BOUNCE_IMAP_HOST.isNotNull(), SENDER.BOUNCE_CHECKED_AT.isNull()
                        .or(DSL.condition("{0} <= now() - make_interval(secs => {1})", SENDER.BOUNCE_CHECKED_AT,
                                DSL.val(every.toMillis() / 1000.0))))
                .forUpdate().skipLocked();
        return dsl.update(SENDER).set(SENDER.BOUNCE_CHECKED_AT, DSL.currentOffsetDateTime())
                .where(SENDER.ID.in(due)).returning().fetch().map(JooqBounceMailboxStore::toMailbox);
    }

    /** Where the last poll of the mailbox stopped; empty before the first (or after the settings changed). */
    public Optional<MailboxCursor> cursor(long senderId) {
        return dsl.select(SENDER.BOUNCE_UID_VALIDITY, SENDER.BOUNCE_NEXT_UID).from(SENDER)
                .where(SENDER.ID.eq(senderId), SENDER.BOUNCE_UID_VALIDITY.isNotNull(), SENDER.BOUNCE_NEXT_UID.isNotNull())
                .fetchOptional(r -> new MailboxCursor(r.value1(), r.value2()));
    }

    /** Moves the mailbox's reader on; only by the poll that claimed the mailbox (one at a time). */
    public void advance(long senderId, MailboxCursor cursor) {
        dsl.update(SENDER).set(SENDER.BOUNCE_UID_VALIDITY, cursor.uidValidity()).set(SENDER.BOUNCE_NEXT_UID, cursor.nextUid())
                .where(SENDER.ID.eq(senderId), SENDER.BOUNCE_IMAP_HOST.isNotNull()).execute();
    }

    /** What the poll came to: null when it went through, else why not (shown as {@code last_error}). */
    public void finished(long senderId, String error) {
        dsl.update(SENDER).set(SENDER.BOUNCE_LAST_ERROR, error).where(SENDER.ID.eq(senderId)).execute();
    }

    private static BounceMailbox toMailbox(SenderRecord r) {
        return new BounceMailbox(r.getId(), r.getBounceDomain(), r.getBounceImapHost(), r.getBounceImapPort(),
                r.getBounceImapTls(), r.getBounceImapUsername(), r.getBounceImapPassword(), r.getBounceImapFolder(),
                r.getBounceProcessedFolder(), Times.instant(r.getBounceCheckedAt()), r.getBounceLastError());
    }
}
