package dev.mailroom.worker.bounce;

import dev.mailroom.core.error.SafeErrors;
import dev.mailroom.core.secret.RecipientTokens;
import dev.mailroom.core.secret.SecretSealer;
import dev.mailroom.core.secret.VerpAddress;
import dev.mailroom.db.postgres.JooqBounceMailboxStore;
import dev.mailroom.db.postgres.JooqBounceStore;
import dev.mailroom.db.postgres.JooqComplaintRate;
import dev.mailroom.worker.WorkerConfig;
import java.time.Duration;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the worker does about later bounces on each tick: poll the due bounce mailboxes, then look again at
 * senders whose complaint alert stands (so it clears once the rate falls back under the threshold).
 */
public final class BounceTick {
    private static final Logger log = LoggerFactory.getLogger(BounceTick.class);
    /** Ticks come this often at most, so a mailbox whose settings just changed is read soon. */
    private static final Duration MAX_TICK = Duration.ofSeconds(10);

    private final PollBounceMailboxes mailboxes;
    private final JooqComplaintRate complaintRate;
    private final DSLContext dsl;
    private final Duration tick;

    BounceTick(PollBounceMailboxes mailboxes, JooqComplaintRate complaintRate, DSLContext dsl, Duration tick) {
        this.mailboxes = mailboxes;
        this.complaintRate = complaintRate;
        this.dsl = dsl;
        this.tick = tick;
    }

    public static BounceTick wire(WorkerConfig config, DSLContext dsl) {
        var rate = new JooqComplaintRate(config.complaintRateAlert());
        var poll = new PollBounceMailboxes(new JooqBounceMailboxStore(dsl), new SecretSealer(config.keys()),
                new JooqBounceStore(dsl, rate), new VerpAddress(new RecipientTokens(config.keys())),
                new PollBounceMailboxes.Settings(config.bouncePoll(), config.smtpTimeoutMillis(),
                        config.smtpTrustStore() == null ? null : config.smtpTrustStore().socketFactory()));
        Duration tick = config.bouncePoll().compareTo(MAX_TICK) < 0 ? config.bouncePoll() : MAX_TICK;
        return new BounceTick(poll, rate, dsl, tick);
    }

    public Duration tick() {
        return tick;
    }

    public void runOnce() {
        mailboxes.runOnce();
        complaintRate.recheckAlerted(dsl);
    }

    /** For the scheduler: a failed tick is logged and the next one tries again. */
    public void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("bounce tick failed: {}", SafeErrors.describe(e));
        }
    }
}
