package dev.mailroom.db.redis;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.quota.MonthlyAvailability;
import dev.mailroom.core.quota.QuotaGate;
import dev.mailroom.core.quota.QuotaPeriods;
import dev.mailroom.core.quota.QuotaUsage;
import dev.mailroom.core.quota.Reservation;
import dev.mailroom.core.quota.SendLedger;
import dev.mailroom.core.quota.SenderQuota;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.redisson.client.codec.StringCodec;

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
        this.reserve = new LuaScript(redis.client(), "reserve_quota.lua");
        this.rebuild = new LuaScript(redis.client(), "rebuild_quota.lua");
        this.release = new LuaScript(redis.client(), "release_quota.lua");
    }

    @Override
    public Reservation reserve(SenderQuota quota, int wanted, Instant now) {
        if (wanted <= 0) return Reservation.all(0);
        QuotaPeriods p = QuotaPeriods.at(now, quota.zone());
        Object[] args = {wanted, quota.hourlyLimit(), quota.monthlyLimit(), syncedRemaining(quota)};
        List<Long> r = reserve.call(keys(quota, p), args);
        if (r.get(0) < 0) {
            rebuildFromLedger(quota, p, now);
            r = reserve.call(keys(quota, p), args);
            if (r.get(0) < 0) throw new IllegalStateException("quota counters vanished right after their rebuild");
        }
        int granted = r.get(0).intValue();
        return switch (r.get(1).intValue()) {
            case 1 -> new Reservation(granted, DeferReason.RATE_HOUR, p.hourEnd());
            case 2 -> new Reservation(granted, DeferReason.QUOTA_MONTH, p.monthEnd());
            default -> Reservation.all(granted);
        };
    }

    @Override
    public void release(SenderQuota quota, int count, Instant reservedAt) {
        if (count <= 0) return;
        release.call(keys(quota, QuotaPeriods.at(reservedAt, quota.zone())), count);
    }

    /**
     * One MGET for the hour, month and since-sync counters (they share the sender's hash tag, so it is one
     * slot on a cluster too); a counter Redis lost is counted from PostgreSQL's attempts instead.
     */
    @Override
    public QuotaUsage usage(SenderQuota quota, Instant now) {
        QuotaPeriods p = QuotaPeriods.at(now, quota.zone());
        List<Object> keys = keys(quota, p);
        String hourKey = (String) keys.get(0), monthKey = (String) keys.get(1), syncKey = (String) keys.get(2);
        Map<String, String> values = quota.syncedAt() == null
                ? redis.client().getBuckets(StringCodec.INSTANCE).get(hourKey, monthKey)
                : redis.client().getBuckets(StringCodec.INSTANCE).get(hourKey, monthKey, syncKey);
        long hour = counter(values.get(hourKey), () -> ledger.attemptsSince(quota.senderId(), p.hourStart()));
        long month = counter(values.get(monthKey), () -> ledger.attemptsSince(quota.senderId(), p.monthStart()));
        long sinceSync = quota.syncedAt() == null ? 0
                : counter(values.get(syncKey), () -> ledger.attemptsSince(quota.senderId(), quota.syncedAt()));
        long available = MonthlyAvailability.available(quota.monthlyLimit(), month, quota.syncedRemaining(), sinceSync);
        return new QuotaUsage(hour, quota.hourlyLimit(), p.hourEnd(), month, quota.monthlyLimit(), available, p.monthEnd());
    }

    private void rebuildFromLedger(SenderQuota quota, QuotaPeriods p, Instant now) {
        long hour = ledger.attemptsSince(quota.senderId(), p.hourStart());
        long month = ledger.attemptsSince(quota.senderId(), p.monthStart());
        long sinceSync = quota.syncedAt() == null ? -1 : ledger.attemptsSince(quota.senderId(), quota.syncedAt());
        long hourTtl = Duration.between(now, p.hourEnd().plus(KEY_GRACE)).toSeconds();
        long monthTtl = Duration.between(now, p.monthEnd().plus(KEY_GRACE)).toSeconds();
        rebuild.call(keys(quota, p), hour, month, sinceSync, hourTtl, monthTtl);
    }

    private static long counter(String value, java.util.function.LongSupplier fallback) {
        return value == null ? fallback.getAsLong() : Long.parseLong(value);
    }

    private List<Object> keys(SenderQuota q, QuotaPeriods p) {
        RedisKeys k = redis.keys();
        return List.of(k.quotaHour(q.senderId(), p.hourKey()), k.quotaMonth(q.senderId(), p.monthKey()),
                k.quotaSync(q.senderId(), q.syncedAt()));
    }

    private static long syncedRemaining(SenderQuota q) {
        return q.syncedRemaining() == null ? -1 : q.syncedRemaining();
    }
}
