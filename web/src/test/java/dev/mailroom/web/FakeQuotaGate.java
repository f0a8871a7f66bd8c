package dev.mailroom.web;

import dev.mailroom.core.quota.QuotaGate;
import dev.mailroom.core.quota.QuotaPeriods;
import dev.mailroom.core.quota.QuotaUsage;
import dev.mailroom.core.quota.Reservation;
import dev.mailroom.core.quota.SenderQuota;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A QuotaGate that reports fixed usage and remembers which senders had their sync forgotten. */
final class FakeQuotaGate implements QuotaGate {
    final List<Long> forgotten = new CopyOnWriteArrayList<>();

    @Override
    public Reservation reserve(SenderQuota quota, int wanted, Instant now) {
        throw new UnsupportedOperationException("the web tier never reserves quota");
    }

    @Override
    public void release(SenderQuota quota, int count, Instant reservedAt) {
        throw new UnsupportedOperationException("the web tier never releases quota");
    }

    @Override
    public QuotaUsage usage(SenderQuota quota, Instant now) {
        QuotaPeriods p = QuotaPeriods.at(now, quota.zone());
        return new QuotaUsage(3, quota.hourlyLimit(), p.hourEnd(), 7, quota.monthlyLimit(),
                quota.monthlyLimit() - 7, p.monthEnd());
    }

    @Override
    public void forgetSync(long senderId) {
        forgotten.add(senderId);
    }
}
