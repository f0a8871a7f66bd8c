package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static dev.mailroom.db.postgres.Times.odt;

import dev.mailroom.core.circuit.DomainAttempt;
import dev.mailroom.core.circuit.DomainHistory;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;

/** A sender's recent campaign attempts, newest first: accepted ones, and those that failed the route (I16). */
public final class JooqDomainHistory implements DomainHistory {
    private final DSLContext dsl;

    public JooqDomainHistory(DSLContext dsl) {
        this.dsl = dsl;
    }

    @Override
    public List<DomainAttempt> recentAttempts(long senderId, Instant since, int limit) {
        return dsl.select(DELIVERY_ATTEMPT.RECIPIENT_DOMAIN, DELIVERY_ATTEMPT.RECIPIENT_ID, DELIVERY_ATTEMPT.OUTCOME,
                        DELIVERY_ATTEMPT.REPLY, DELIVERY_ATTEMPT.ATTEMPTED_AT)
                .from(DELIVERY_ATTEMPT)
                .where(DELIVERY_ATTEMPT.SENDER_ID.eq(senderId), DELIVERY_ATTEMPT.ATTEMPTED_AT.ge(odt(since)),
                        DELIVERY_ATTEMPT.RECIPIENT_DOMAIN.isNotNull(),
                        DELIVERY_ATTEMPT.OUTCOME.in("sent", "transient", "refused", "uncertain"))
                .orderBy(DELIVERY_ATTEMPT.ID.desc()).limit(limit)
                .fetch(r -> new DomainAttempt(r.value1(), r.value2(), "sent".equals(r.value3()), r.value4(),
                        Times.instant(r.value5())));
    }
}
