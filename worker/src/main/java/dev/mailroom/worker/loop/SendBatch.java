package dev.mailroom.worker.loop;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.OutgoingMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Sends one batch over the sender's lanes in parallel, each lane a virtual thread with its own reused
 * connection. The stop flag is checked before every message, and a lane whose relay refused our
 * credentials or our sender stops every lane (the rest would be refused alike): what was not handed to
 * SMTP comes back as {@link DeliveryOutcome.NotSent}.
 */
final class SendBatch {
    record Result(OutgoingMessage message, DeliveryOutcome outcome, long durationMs) {}

    private final WorkerMetrics metrics;

    SendBatch(WorkerMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param stop a pause, cancel or shutdown: each lane finishes the message it is sending and takes no
     *             other; a lane waiting out {@code delayMs} stops waiting at once
     */
    List<Result> send(List<OutgoingMessage> messages, SmtpLanes lanes, int delayMs, StopSignal stop) {
        Queue<OutgoingMessage> todo = new ConcurrentLinkedQueue<>(messages);
        Queue<Result> done = new ConcurrentLinkedQueue<>();
        AtomicBoolean relayRefused = new AtomicBoolean();
        BooleanSupplier stopLanes = () -> relayRefused.get() || stop.requested();
        int laneCount = Math.min(lanes.size(), messages.size());
        ExecutorService lanesRunning = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < laneCount; i++) {
                int lane = i;
                running.add(lanesRunning.submit(() -> drain(todo, done, lanes, lane, delayMs, stopLanes, stop, relayRefused)));
            }
            for (Future<?> f : running) f.get();
        } catch (InterruptedException e) {
            // Shutdown's grace ran out while a lane was still on the wire. What finished is returned to be
            // recorded (the interrupt is consumed so that recording can run); a message still on the wire
            // is missing here, stays sending and becomes uncertain (I7); the untried ones go back to pending.
            stop.request();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a send lane failed", e.getCause());
        } finally {
            lanesRunning.shutdown();
        }
        for (OutgoingMessage left; (left = todo.poll()) != null; ) {
            done.add(new Result(left, DeliveryOutcome.NotSent.STOPPED, 0));
        }
        List<Result> results = List.copyOf(done);
        metrics.sent(results);
        return results;
    }

    /** The relay refused our credentials or our sender: nothing else of the batch can go. */
    static boolean refusesUs(DeliveryOutcome o) {
        return o instanceof DeliveryOutcome.RelayRefused r && r.reason() != DeferReason.TRANSIENT_ERROR;
    }

    /**
     * Why the relay refused the batch, if it did: a refusal of our credentials or sender, or no
     * connection for any message at all (one lane's lost connection alone is not the relay's fault).
     */
    static DeliveryOutcome.RelayRefused relayRefusal(List<Result> results) {
        DeliveryOutcome.RelayRefused unreachable = null;
        int reached = 0;
        for (Result r : results) {
            if (refusesUs(r.outcome())) return (DeliveryOutcome.RelayRefused) r.outcome();
            if (r.outcome() instanceof DeliveryOutcome.RelayRefused u) unreachable = u;
            else if (!(r.outcome() instanceof DeliveryOutcome.NotSent)) reached++;
        }
        return reached == 0 ? unreachable : null;
    }

    /** How many of the messages keep their quota (I17). */
    /**
     * The results whose quota goes back (I17): the relay refused them or never saw them. A message without a
     * result (the batch was stopped while it was on the wire) keeps its quota: its row may end uncertain.
     */
    static int givingBackQuota(List<Result> results) {
        int n = 0;
        for (Result r : results) if (!r.outcome().spendsQuota()) n++;
        return n;
    }

    private void drain(Queue<OutgoingMessage> todo, Queue<Result> done, SmtpLanes lanes, int lane, int delayMs,
                       BooleanSupplier stop, StopSignal stopSignal, AtomicBoolean relayRefused) {
        for (OutgoingMessage m; !stop.getAsBoolean() && (m = todo.poll()) != null; ) {
            long start = System.nanoTime();
            DeliveryOutcome outcome = lanes.lane(lane).send(m);
            long ms = (System.nanoTime() - start) / 1_000_000;
            done.add(new Result(m, outcome, ms));
            if (refusesUs(outcome)) relayRefused.set(true);
            if (delayMs > 0 && stopSignal.await(Duration.ofMillis(delayMs))) return;
        }
    }
}
