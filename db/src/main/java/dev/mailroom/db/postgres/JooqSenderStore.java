package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.SENDER;

import dev.mailroom.core.defer.SendWindow;
import dev.mailroom.core.error.InvalidInput;
import dev.mailroom.core.error.NotFound;
import dev.mailroom.core.port.SenderStore;
import dev.mailroom.core.sender.DkimKey;
import dev.mailroom.core.sender.Sender;
import dev.mailroom.core.sender.SmtpSettings;
import dev.mailroom.db.generated.tables.records.SenderRecord;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/** Senders: the {@link SenderStore} port the worker reads, plus the admin CRUD the web tier needs. */
public final class JooqSenderStore implements SenderStore {
    private final DSLContext dsl;

    public JooqSenderStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public Optional<Sender> find(long senderId) {
        return dsl.selectFrom(SENDER).where(SENDER.ID.eq(senderId)).fetchOptional().map(JooqSenderStore::toSender);
    }

    /** Its relay as the workers last found it ({@link SenderConnection#NONE} for no such sender). */
    public SenderConnection connection(long senderId) {
        return dsl.select(CONNECTION_FIELDS).from(SENDER).where(SENDER.ID.eq(senderId))
                .fetchOptional(JooqSenderStore::toConnection).orElse(SenderConnection.NONE);
    }

    /** Every sender's, by id. */
    public Map<Long, SenderConnection> connections() {
        return dsl.select(CONNECTION_FIELDS).select(SENDER.ID).from(SENDER)
                .fetchMap(r -> r.get(SENDER.ID), JooqSenderStore::toConnection);
    }

    private static final List<Field<?>> CONNECTION_FIELDS = List.of(SENDER.LAST_FAULT, SENDER.CONNECTION_STATUS,
            SENDER.CONNECTION_FAULT, SENDER.CONNECTION_DETAIL, SENDER.CONNECTION_AT);

    private static SenderConnection toConnection(Record r) {
        return new SenderConnection(r.get(SENDER.LAST_FAULT), r.get(SENDER.CONNECTION_STATUS), r.get(SENDER.CONNECTION_FAULT),
                r.get(SENDER.CONNECTION_DETAIL), Times.instant(r.get(SENDER.CONNECTION_AT)));
    }

    public boolean exists(long senderId) {
        return dsl.fetchExists(SENDER, SENDER.ID.eq(senderId));
    }

    public List<Sender> list() {
        return dsl.selectFrom(SENDER).orderBy(SENDER.ID).fetch(JooqSenderStore::toSender);
    }

    /** Inserts the sender (its id is ignored) and returns it with its new id. */
    public Sender create(Sender s) {
        SenderRecord r = dsl.newRecord(SENDER);
        fill(r, s);
        try {
            r.store();
        } catch (IntegrityConstraintViolationException e) {
            throw InvalidInput.of("name", "a sender with this name already exists");
        }
        return toSender(r);
    }

    /** The sender as stored, and the campaigns the change made ready again (for the workers and open pages to hear). */
    public record Updated(Sender sender, List<Long> woken) {}

    /**
     * Replaces every editable field; the quota sync figures are left alone. Campaigns waiting for a reason
     * the sender's settings decide are looked at again at once; new SMTP settings or a new DKIM key also
     * end the relay's row of refusals (its backoff starts over).
     */
    public Updated update(Sender s) {
        Sender before = find(s.id()).orElseThrow(() -> new NotFound("sender", s.id()));
        SenderRecord r = dsl.newRecord(SENDER);
        fill(r, s);
        // A new DKIM key ends a refusal as new SMTP settings do: an unopenable key defers like a refused sender.
        boolean newSmtp = !before.smtp().equals(s.smtp()) || !java.util.Objects.equals(before.dkim(), s.dkim());
        // The last connection was to the settings before: with new ones it is not known yet.
        if (newSmtp) {
            r.setRelayFailures(0).setLastError(null).setLastErrorAt(null).setLastFault(null).setConnectionStatus(null)
                    .setConnectionFault(null).setConnectionDetail(null).setConnectionAt(null);
        }
        List<Long> woken;
        try {
            woken = dsl.transactionResult(cfg -> {
                DSLContext tx = cfg.dsl();
                tx.update(SENDER).set(r).set(SENDER.UPDATED_AT, DSL.currentOffsetDateTime()).where(SENDER.ID.eq(s.id())).execute();
                return wakeWaiting(tx, s.id(), newSmtp ? SETTINGS_REASONS_AND_RELAY : SETTINGS_REASONS);
            });
        } catch (IntegrityConstraintViolationException e) {
            throw InvalidInput.of("name", "a sender with this name already exists");
        }
        return new Updated(find(s.id()).orElseThrow(), woken);
    }

    /** Reasons a change of window, limits (the test reserve too) or {@code enabled} may have ended. */
    private static final List<String> SETTINGS_REASONS = List.of("outside_hours", "rate_hour", "quota_month", "smtp_disabled");
    /** ...and those new SMTP settings may have ended. */
    private static final List<String> SETTINGS_REASONS_AND_RELAY = List.of("outside_hours", "rate_hour", "quota_month",
            "smtp_disabled", "smtp_auth", "sender_refused", "transient_error");

    /**
     * They become ready and the worker re-evaluates them now; one whose reason still holds is deferred
     * again, with the same notification de-duplicated (I3).
     */
    private static List<Long> wakeWaiting(DSLContext tx, long senderId, List<String> reasons) {
        List<Long> woken = tx.update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STATUS, "queued")
                .setNull(CAMPAIGN_QUEUE.DEFER_REASON).setNull(CAMPAIGN_QUEUE.DEFERRED_UNTIL)
                .set(CAMPAIGN_QUEUE.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(CAMPAIGN_QUEUE.SENDER_ID.eq(senderId), CAMPAIGN_QUEUE.STATUS.eq("deferred"),
                        CAMPAIGN_QUEUE.DEFER_REASON.in(reasons))
                .returning(CAMPAIGN_QUEUE.CAMPAIGN_ID).fetch(CAMPAIGN_QUEUE.CAMPAIGN_ID);
        for (long id : woken) QUEUE_EVENTS.append(tx, id, "queued", "the sender's settings changed");
        return woken;
    }

    private static final QueueEvents QUEUE_EVENTS = new QueueEvents();

    /** I6: the provider's own remaining count at {@code syncedAt}; returns the campaigns it made ready again. */
    public List<Long> recordQuotaSync(long senderId, int remaining, Instant syncedAt) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = cfg.dsl();
            int n = tx.update(SENDER).set(SENDER.QUOTA_REMAINING, remaining)
                    .set(SENDER.QUOTA_SYNCED_AT, Times.odt(syncedAt))
                    .set(SENDER.UPDATED_AT, DSL.currentOffsetDateTime())
                    .where(SENDER.ID.eq(senderId)).execute();
            if (n == 0) throw new NotFound("sender", senderId);
            return wakeWaiting(tx, senderId, List.of("quota_month"));
        });
    }

    private static void fill(SenderRecord r, Sender s) {
        SmtpSettings smtp = s.smtp();
        r.setName(s.name()).setFromEmail(s.fromEmail()).setFromName(s.fromName())
                .setSmtpHost(smtp.host()).setSmtpPort(smtp.port()).setSmtpTls(smtp.tls().wire())
                .setSmtpUsername(smtp.username()).setSmtpPassword(smtp.password())
                .setSmtpAllowPlaintextAuth(smtp.allowPlaintextAuth())
                .setHourlyLimit(s.hourlyLimit()).setMonthlyLimit(s.monthlyLimit())
                .setTestReservePerHour(s.testReservePerHour())
                .setQuotaTimezone(s.quotaZone().getId()).setEnabled(s.enabled());
        // bounce_domain is not written here: the bounce-mailbox endpoints own it, and a sender PATCH that
        // read it earlier must not undo a concurrent PUT or DELETE of the mailbox.
        DkimKey dkim = s.dkim();
        r.setDkimDomain(dkim == null ? null : dkim.domain()).setDkimSelector(dkim == null ? null : dkim.selector())
                .setDkimPrivateKey(dkim == null ? null : dkim.sealedPrivateKey());
        SendWindow w = s.window();
        r.setWindowStart(w == null ? null : w.start()).setWindowEnd(w == null ? null : w.end())
                .setWindowTimezone(w == null ? null : w.zone().getId())
                .setWindowDays(w == null ? null : w.days().stream().map(d -> Integer.toString(d.getValue()))
                        .collect(Collectors.joining(",")));
    }

    static Sender toSender(SenderRecord r) {
        SmtpSettings smtp = new SmtpSettings(r.getSmtpHost(), r.getSmtpPort(), SmtpSettings.Tls.fromWire(r.getSmtpTls()),
                r.getSmtpUsername(), r.getSmtpPassword(), r.getSmtpAllowPlaintextAuth());
        SendWindow window = r.getWindowStart() == null ? null : new SendWindow(r.getWindowStart(), r.getWindowEnd(),
                ZoneId.of(r.getWindowTimezone()), days(r.getWindowDays()));
        return new Sender(r.getId(), r.getName(), r.getFromEmail(), r.getFromName(), smtp, r.getHourlyLimit(),
                r.getMonthlyLimit(), r.getTestReservePerHour(), ZoneId.of(r.getQuotaTimezone()), window, r.getEnabled(), r.getQuotaRemaining(),
                Times.instant(r.getQuotaSyncedAt()), r.getLastError(), Times.instant(r.getLastErrorAt()),
                r.getDkimDomain() == null ? null : new DkimKey(r.getDkimDomain(), r.getDkimSelector(), r.getDkimPrivateKey()),
                r.getBounceDomain());
    }

    private static java.util.Set<DayOfWeek> days(String csv) {
        if (csv == null || csv.isBlank()) return null;
        return Arrays.stream(csv.split(",")).map(String::trim).map(d -> DayOfWeek.of(Integer.parseInt(d)))
                .collect(Collectors.toSet());
    }
}
