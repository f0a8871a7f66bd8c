package dev.mailroom.worker.loop;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.delivery.DeliveryOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** What the worker counts: sends by outcome, deferrals by reason, SMTP and batch latency. */
public final class WorkerMetrics {
    private final MeterRegistry registry;
    private final Timer smtpLatency;
    private final Timer batchLatency;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.smtpLatency = Timer.builder("mailroom_smtp_latency").publishPercentileHistogram()
                .description("one SMTP message, connect included").register(registry);
        this.batchLatency = Timer.builder("mailroom_batch_latency").publishPercentileHistogram()
                .description("one batch, reservation to recorded outcomes").register(registry);
    }

    void sent(DeliveryOutcome outcome, long durationMs) {
        String kind = switch (outcome) {
            case DeliveryOutcome.Sent s -> "sent";
            case DeliveryOutcome.RetryLater r -> "transient";
            case DeliveryOutcome.Failed f -> "failed";
            case DeliveryOutcome.Unknown u -> "uncertain";
            case DeliveryOutcome.NotSent n -> "not_sent";
        };
        Counter.builder("mailroom_sends").tag("outcome", kind).register(registry).increment();
        if (!(outcome instanceof DeliveryOutcome.NotSent)) smtpLatency.record(Duration.ofMillis(durationMs));
    }

    void deferred(DeferReason reason) {
        Counter.builder("mailroom_deferrals").tag("reason", reason.wire()).register(registry).increment();
    }

    void batch(Duration d) {
        batchLatency.record(d);
    }
}
