package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.postgres.Times.odt;

import dev.mailroom.core.quota.SendLedger;
import java.time.Instant;
import org.jooq.DSLContext;

/**
 * Counts the attempts that spend quota: the truth quota counters are rebuilt from. An attempt in flight
 * ({@code sending}) counts; one the relay refused or never saw gave its quota back (I17) and does not.
 */
public final class JooqSendLedger implements SendLedger {
    private final DSLContext dsl;

    public JooqSendLedger(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public long attemptsSince(long senderId, Instant from) {
        return dsl.selectCount().from(DELIVERY_ATTEMPT)
                .where(DELIVERY_ATTEMPT.SENDER_ID.eq(senderId), DELIVERY_ATTEMPT.ATTEMPTED_AT.ge(odt(from)),
                        DELIVERY_ATTEMPT.OUTCOME.in("sending", "sent", "uncertain"))
                .fetchOne(0, Long.class);
    }
}
