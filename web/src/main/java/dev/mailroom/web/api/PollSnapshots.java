package dev.mailroom.web.api;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The poll's shared per-sender snapshot (API.md "Poll"): every poll of a sender within {@code maxAgeNanos}
 * of a read gets that read's answer, and at most one read per sender is under way at a time — polls that
 * arrive while it runs wait for it rather than start their own (single flight). So 200 polls a second cost
 * the stores at most four reads a second per sender, and a change shows after at most the refresh interval
 * plus one read.
 *
 * <p>A snapshot is also read again once the request's time has passed the snapshot's {@link
 * Snapshot#staleAfter} (the quota hour it shows has ended). A failed read is not kept: its waiters get its
 * error and the next poll tries again.
 *
 * @param <K> what a poll asks for (the requested sender id, or "the only sender")
 * @param <V> what one read returns
 */
public final class PollSnapshots<K, V extends PollSnapshots.Snapshot> {
    /** What one read of the stores returns. */
    public interface Snapshot {
        /** When this snapshot must not be shown any more, whatever its age; null for never. */
        Instant staleAfter();
    }

    /** One read of the stores for a key, as of {@code now}. */
    @FunctionalInterface
    public interface Loader<K, V> {
        V load(K key, Instant now);
    }

    /** Bounds the map against polls of ever-new sender ids: past it, every snapshot is dropped. */
    static final int MAX_SENDERS = 10_000;

    private record Slot<V>(CompletableFuture<V> value, long startedAt) {}

    private final Loader<K, V> loader;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<K, Slot<V>> slots = new ConcurrentHashMap<>();

    public PollSnapshots(Loader<K, V> loader, long maxAgeNanos, LongSupplier nanoTime) {
        this.loader = loader;
        this.maxAgeNanos = maxAgeNanos;
        this.nanoTime = nanoTime;
    }

    /** The key's snapshot, read now unless one younger than the refresh interval exists or is being read. */
    public V get(K key, Instant now) {
        while (true) {
            Slot<V> current = slots.get(key);
            if (current != null && usable(current, now)) return join(current.value());
            if (current == null && slots.size() >= MAX_SENDERS) slots.clear();
            Slot<V> mine = new Slot<>(new CompletableFuture<>(), nanoTime.getAsLong());
            boolean won = current == null ? slots.putIfAbsent(key, mine) == null : slots.replace(key, current, mine);
            if (!won) continue; // another poll started a read first: use that one
            try {
                V v = loader.load(key, now);
                mine.value().complete(v);
                return v;
            } catch (RuntimeException | Error e) {
                slots.remove(key, mine);
                mine.value().completeExceptionally(e);
                throw e;
            }
        }
    }

    /** Drops every snapshot: a write through this process shows on its next poll. */
    public void clear() {
        slots.clear();
    }

    private boolean usable(Slot<V> slot, Instant now) {
        if (!slot.value().isDone()) return true; // a read is under way: wait for it
        if (slot.value().isCompletedExceptionally()) return false;
        if (nanoTime.getAsLong() - slot.startedAt() >= maxAgeNanos) return false;
        Instant staleAfter = slot.value().join().staleAfter();
        return staleAfter == null || now.isBefore(staleAfter);
    }

    private static <V> V join(CompletableFuture<V> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }
}
