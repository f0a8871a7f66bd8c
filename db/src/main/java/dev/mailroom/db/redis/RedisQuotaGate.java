package dev.mailroom.db.redis;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.quota.MonthlyAvailability;
import dev.mailroom.core.quota.QuotaGate;
import dev.mailroom.core.quota.QuotaPeriods;
import dev.mailroom.core.quota.QuotaUsage;
import dev.mailroom.core.quota.QuotaUse;
import dev.mailroom.core.quota.Reservation;
import dev.mailroom.core.quota.SendLedger;
import dev.mailroom.core.quota.SenderQuota;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * I5/I6 in Redis: one Lua call checks and counts hour, month and provider-sync figures together. When
 * Redis has lost a counter it is rebuilt from PostgreSQL's attempts before anything is granted.
 */
public final class RedisQuotaGate implements QuotaGate {
    private static final Duration KEY_GRACE = Duration.ofHours(1);

    private final Redis redis;
    private final SendLedger ledger;
    private final LuaScript reserve;
    private final LuaScript rebuild;
    private final LuaScript release;

    public RedisQuotaGate(Redis redis, SendLedger ledger) {
        this.redis = redis;
        this.ledger = ledger;
        this.reserve = new LuaScript(redis, "reserve_quota.lua");
        this.rebuild = new LuaScript(redis, "rebuild_quota.lua");
        this.release = new LuaScript(redis, "release_quota.lua");
    }

    /**
     * A reservation that ran twice (its first reply lost with its connection) over-counts: fewer sends, never
     * more. Behind a Sentinel set it returns once a replica holds it too (see {@link LuaScript#callReplicated}).
     * The hour's count stops at {@link SenderQuota#hourCeiling}: below the test reserve for a campaign, at the
     * hourly limit for a test email, so the limit holds for both together. Counters Redis lost, or counted on
     * another server (a failover, a restart), are first set to PostgreSQL's count (see rebuild_quota.lua).
     */
    @Override
    public Reservation reserve(SenderQuota quota, QuotaUse use, int wanted, Instant now) {
        if (wanted <= 0) return Reservation.all(0, null);
        QuotaPeriods p = QuotaPeriods.at(now, quota.zone());
        Object[] args = {wanted, quota.hourlyLimit(), quota.monthlyLimit(), syncedRemaining(quota), quota.hourCeiling(use)};
        LuaReply r = reserve.callReplicated(keys(quota, p), args, release, RedisQuotaGate::undoArguments);
        if (r.number(0) < 0) {
            rebuildFromLedger(quota, p, now, r.text(2));
            r = reserve.callReplicated(keys(quota, p), args, release, RedisQuotaGate::undoArguments);
            if (r.number(0) < 0) throw new IllegalStateException("quota counters vanished right after their rebuild");
        }
        int granted = (int) r.number(0);
        String generation = r.text(2);
        return switch ((int) r.number(1)) {
            case 1 -> new Reservation(granted, DeferReason.RATE_HOUR, p.hourEnd(), generation);
            case 2 -> new Reservation(granted, DeferReason.QUOTA_MONTH, p.monthEnd(), generation);
            default -> Reservation.all(granted, generation);
        };
    }

    /**
     * Never sent twice: a release run twice would hand back quota twice (I5). One whose reply was lost leaves
     * the counters high instead, which only holds sends back until the period ends.
     */
    @Override
    public void release(SenderQuota quota, int count, Instant reservedAt, String generation) {
        if (count <= 0) return;
        release.callAtMostOnce(keys(quota, QuotaPeriods.at(reservedAt, quota.zone())), count, generation);
    }

    /**
     * One MGET for the hour, month and since-sync counters (they share the sender's hash tag, so it is one
     * slot on a cluster too); a counter Redis lost is counted from PostgreSQL's attempts instead.
     */
    @Override
    public QuotaUsage usage(SenderQuota quota, Instant now) {
        QuotaPeriods p = QuotaPeriods.at(now, quota.zone());
        List<String> keys = keys(quota, p).subList(0, 3);
        List<String> values = redis.call(j -> j.mget(keys.toArray(String[]::new)));
        long hour = counter(values.get(0), () -> ledger.attemptsSince(quota.senderId(), p.hourStart()));
        long month = counter(values.get(1), () -> ledger.attemptsSince(quota.senderId(), p.monthStart()));
        long sinceSync = quota.syncedAt() == null ? 0
                : counter(values.get(2), () -> ledger.attemptsSince(quota.senderId(), quota.syncedAt()));
        long available = MonthlyAvailability.available(quota.monthlyLimit(), month, quota.syncedRemaining(), sinceSync);
        return new QuotaUsage(hour, quota.hourlyLimit(), p.hourEnd(), month, quota.monthlyLimit(), available, p.monthEnd());
    }

    private void rebuildFromLedger(SenderQuota quota, QuotaPeriods p, Instant now, String generationSeen) {
        long hour = ledger.attemptsSince(quota.senderId(), p.hourStart());
        long month = ledger.attemptsSince(quota.senderId(), p.monthStart());
        long sinceSync = quota.syncedAt() == null ? -1 : ledger.attemptsSince(quota.senderId(), quota.syncedAt());
        long hourTtl = Duration.between(now, p.hourEnd().plus(KEY_GRACE)).toSeconds();
        long monthTtl = Duration.between(now, p.monthEnd().plus(KEY_GRACE)).toSeconds();
        rebuild.call(keys(quota, p), hour, month, sinceSync, hourTtl, monthTtl, generationSeen);
    }

    private static long counter(String value, java.util.function.LongSupplier fallback) {
        return value == null ? fallback.getAsLong() : Long.parseLong(value);
    }

    private List<String> keys(SenderQuota q, QuotaPeriods p) {
        RedisKeys k = redis.keys();
        return List.of(k.quotaHour(q.senderId(), p.hourKey()), k.quotaMonth(q.senderId(), p.monthKey()),
                k.quotaSync(q.senderId(), q.syncedAt()), k.quotaGeneration(q.senderId()));
    }

    /** What gives back a reservation no replica acknowledged: its grant, to its generation. */
    private static List<String> undoArguments(LuaReply reply) {
        long granted = reply.number(0);
        return granted > 0 ? List.of(Long.toString(granted), reply.text(2)) : List.of();
    }

    private static long syncedRemaining(SenderQuota q) {
        return q.syncedRemaining() == null ? -1 : q.syncedRemaining();
    }
}
