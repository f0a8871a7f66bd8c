package dev.mailroom.worker.loop;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.delivery.DeliveryOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the worker counts: sends by outcome, deferrals by reason, SMTP and batch latency. */
public final class WorkerMetrics {
    private final Timer smtpLatency;
    private final Timer batchLatency;
    private static final String[] KINDS = {"sent", "transient", "failed", "refused", "uncertain", "not_sent", "relay_refused"};
    private final Counter[] sends = new Counter[KINDS.length];
    private final Map<DeferReason, Counter> deferrals = new EnumMap<>(DeferReason.class);

    public WorkerMetrics(MeterRegistry registry) {
        this.smtpLatency = Timer.builder("mailroom_smtp_latency").publishPercentileHistogram()
                .description("one SMTP message, connect included").register(registry);
        this.batchLatency = Timer.builder("mailroom_batch_latency").publishPercentileHistogram()
                .description("one batch, reservation to recorded outcomes").register(registry);
        for (int k = 0; k < KINDS.length; k++) {
            sends[k] = Counter.builder("mailroom_sends").tag("outcome", KINDS[k]).register(registry);
        }
        // Every reason from the start: a series that appears at its first increment hides that increment from rate().
        for (DeferReason reason : DeferReason.values()) {
            deferrals.put(reason, Counter.builder("mailroom_deferrals").tag("reason", reason.wire())
                    .description("campaigns deferred, by reason").register(registry));
        }
    }

    /** A batch's sends, counted once per batch rather than per message (the lanes never contend on it). */
    void sent(List<SendBatch.Result> results) {
        int[] byKind = new int[KINDS.length];
        for (SendBatch.Result r : results) {
            byKind[kind(r.outcome())]++;
            if (!(r.outcome() instanceof DeliveryOutcome.NotSent)) smtpLatency.record(r.durationMs(), TimeUnit.MILLISECONDS);
        }
        for (int k = 0; k < KINDS.length; k++) if (byKind[k] > 0) sends[k].increment(byKind[k]);
    }

    private static int kind(DeliveryOutcome outcome) {
        return switch (outcome) {
            case DeliveryOutcome.Sent s -> 0;
            case DeliveryOutcome.RetryLater r -> 1;
            case DeliveryOutcome.MailboxRefused m -> 2;
            case DeliveryOutcome.MessageRefused m -> 3;
            case DeliveryOutcome.Unknown u -> 4;
            case DeliveryOutcome.NotSent n -> 5;
            case DeliveryOutcome.RelayRefused r -> 6;
        };
    }

    void deferred(DeferReason reason) {
        deferrals.get(reason).increment();
    }

    void batch(Duration d) {
        batchLatency.record(d);
    }
}
