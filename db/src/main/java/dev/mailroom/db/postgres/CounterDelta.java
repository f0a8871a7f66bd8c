package dev.mailroom.db.postgres;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;

import dev.mailroom.core.recipient.RecipientStatus;
import java.util.EnumMap;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Field;

/** Moves between a campaign's counters, applied in the transaction that moved the recipient rows (I9). */
final class CounterDelta {
    private final Map<RecipientStatus, Integer> delta = new EnumMap<>(RecipientStatus.class);

    CounterDelta move(RecipientStatus from, RecipientStatus to, int n) {
        if (n == 0 || from == to) return this;
        delta.merge(from, -n, Integer::sum);
        delta.merge(to, n, Integer::sum);
        return this;
    }

    void apply(DSLContext tx, long campaignId) {
        if (delta.values().stream().allMatch(v -> v == 0)) return;
        var update = tx.update(CAMPAIGN).set(CAMPAIGN.ID, CAMPAIGN.ID);
        for (var e : delta.entrySet()) {
            Field<Integer> column = column(e.getKey());
            update = update.set(column, column.plus(e.getValue()));
        }
        update.where(CAMPAIGN.ID.eq(campaignId)).execute();
    }

    static Field<Integer> column(RecipientStatus s) {
        return switch (s) {
            case PENDING -> CAMPAIGN.PENDING;
            case SENDING -> CAMPAIGN.SENDING;
            case SENT -> CAMPAIGN.SENT;
            case FAILED -> CAMPAIGN.FAILED;
            case UNCERTAIN -> CAMPAIGN.UNCERTAIN;
            case SUPPRESSED -> CAMPAIGN.SUPPRESSED;
        };
    }
}
