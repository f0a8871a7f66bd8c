package dev.mailroom.worker.loop;

import dev.mailroom.core.defer.DeferReason;
import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.OutgoingMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Sends one batch over the sender's lanes in parallel, each lane a thread with its own reused
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

    /** Sends and waits for the lanes: {@link #start} then {@link Running#await}. */
    List<Result> send(List<OutgoingMessage> messages, SmtpLanes lanes, int delayMs, StopSignal stop) {
        return start(messages, lanes, delayMs, stop).await();
    }

    /**
     * Hands the messages to the lanes and returns at once, so the caller can record the previous batch and
     * prepare the next one while this one is on the wire.
     *
     * @param stop a pause, cancel or shutdown: each lane finishes the message it is sending and takes no
     *             other; a lane waiting out {@code delayMs} stops waiting at once
     */
    Running start(List<OutgoingMessage> messages, SmtpLanes lanes, int delayMs, StopSignal stop) {
        return new Running(messages, lanes, delayMs, stop);
    }

    /** Results for messages never handed to a lane: they go back to pending, their quota with them. */
    static List<Result> notSent(List<OutgoingMessage> messages) {
        List<Result> out = new ArrayList<>(messages.size());
        for (OutgoingMessage m : messages) out.add(new Result(m, DeliveryOutcome.NotSent.STOPPED, 0));
        return out;
    }

    /** A batch on the wire. */
    final class Running {
        private final Queue<OutgoingMessage> todo;
        private final Queue<Result> done = new ConcurrentLinkedQueue<>();
        private final StopSignal stop;
        private final List<Future<?>> running = new ArrayList<>();

        private Running(List<OutgoingMessage> messages, SmtpLanes lanes, int delayMs, StopSignal stop) {
            this.todo = new ConcurrentLinkedQueue<>(messages);
            this.stop = stop;
            AtomicBoolean relayRefused = new AtomicBoolean();
            BooleanSupplier stopLanes = () -> relayRefused.get() || stop.requested();
            int laneCount = Math.min(lanes.size(), messages.size());
            for (int i = 0; i < laneCount; i++) {
                int lane = i;
                running.add(lanes.threads().submit(() -> drain(todo, done, lanes, lane, delayMs, stopLanes, stop, relayRefused)));
            }
        }

        /** Waits for every lane and returns the results; called once per batch. */
        List<Result> await() {
            try {
                for (Future<?> f : running) f.get();
            } catch (InterruptedException e) {
                // Shutdown's grace ran out while a lane was still on the wire. What finished is returned to be
                // recorded (the interrupt is consumed so that recording can run); a message still on the wire
                // is missing here, stays sending and becomes uncertain (I7); the untried ones go back to pending.
                stop.request();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a send lane failed", e.getCause());
            }
            for (OutgoingMessage left; (left = todo.poll()) != null; ) {
                done.add(new Result(left, DeliveryOutcome.NotSent.STOPPED, 0));
            }
            List<Result> results = List.copyOf(done);
            metrics.sent(results);
            return results;
        }
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
