package dev.mailroom.core.quota;

import dev.mailroom.core.defer.DeferReason;
import java.time.Instant;

/**
 * A quota reservation while its batch is under way (sidekiq's UnitOfWork): the part a batch {@link #keep}s
 * is spent, and everything else goes back to the hour and month it was taken from when the reservation
 * closes — the one place quota is given back, however the batch ends (lost claim, stop, refusal).
 * <p>
 * What is kept follows what PostgreSQL counts (the truth the counters are rebuilt from, I5/I17): messages
 * marked {@code sending} are kept at once, and only once their batch's record has said which of them never
 * reached the relay are those {@link #giveBack given back}. A batch whose record failed (the database went
 * away) keeps all it marked: those rows end {@code uncertain}, which counts.
 */
public final class HeldReservation implements AutoCloseable {
    private final QuotaGate gate;
    private final SenderQuota quota;
    private final Instant reservedAt;
    private final Reservation reservation;
    private int kept;
    private boolean closed;

    private HeldReservation(QuotaGate gate, SenderQuota quota, Instant reservedAt, Reservation reservation) {
        this.gate = gate;
        this.quota = quota;
        this.reservedAt = reservedAt;
        this.reservation = reservation;
    }

    /** Reserves up to {@code wanted} sends for {@code use} (I5): one atomic step over the hour and the month. */
    public static HeldReservation reserve(QuotaGate gate, SenderQuota quota, QuotaUse use, int wanted, Instant now) {
        return new HeldReservation(gate, quota, now, gate.reserve(quota, use, wanted, now));
    }

    public int granted() {
        return reservation.granted();
    }

    /** Which limit held back part of the wish, or null when all of it was granted. */
    public DeferReason limitedBy() {
        return reservation.limitedBy();
    }

    /** When the limit that held it back resets. */
    public Instant retryAt() {
        return reservation.retryAt();
    }

    public boolean isLimited() {
        return reservation.isLimited();
    }

    /** {@code n} messages were marked {@code sending}: PostgreSQL counts them, so their quota stays spent. */
    public void keep(int n) {
        kept = Math.min(reservation.granted(), kept + n);
    }

    /** {@code n} kept messages were recorded as never reaching the relay (I17): their quota goes back at close. */
    public void giveBack(int n) {
        kept = Math.max(0, kept - n);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        int unused = reservation.granted() - kept;
        if (unused > 0) gate.release(quota, unused, reservedAt, reservation.generation());
    }
}
