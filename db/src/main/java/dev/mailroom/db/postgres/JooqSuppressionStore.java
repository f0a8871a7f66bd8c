package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.SUPPRESSION;

import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** I13: addresses never sent to. Keyed by the normalised address. */
public final class JooqSuppressionStore {
    private final DSLContext dsl;

    public JooqSuppressionStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** Adds the address; an address already suppressed keeps its first reason. Returns the stored row. */
    public SuppressionRow add(String email, String reason) {
        dsl.insertInto(SUPPRESSION, SUPPRESSION.EMAIL, SUPPRESSION.REASON).values(email, reason)
                .onConflictDoNothing().execute();
        return find(email).orElseThrow();
    }

    public Optional<SuppressionRow> find(String email) {
        return dsl.selectFrom(SUPPRESSION).where(SUPPRESSION.EMAIL.eq(email)).fetchOptional(
                r -> new SuppressionRow(r.getEmail(), r.getReason(), Times.instant(r.getCreatedAt())));
    }


    /** @return false when the address was not suppressed */
    public boolean remove(String email) {
        return dsl.deleteFrom(SUPPRESSION).where(SUPPRESSION.EMAIL.eq(email)).execute() > 0;
    }

    /** In address order; {@code afterEmail} is the previous page's last address. */
    public Page<SuppressionRow, String> list(String afterEmail, int limit) {
        var rows = dsl.selectFrom(SUPPRESSION)
                .where(afterEmail == null ? DSL.noCondition() : SUPPRESSION.EMAIL.gt(afterEmail))
                .orderBy(SUPPRESSION.EMAIL).limit(limit + 1)
                .fetch(r -> new SuppressionRow(r.getEmail(), r.getReason(), Times.instant(r.getCreatedAt())));
        return Page.of(rows, limit, SuppressionRow::email);
    }
}
