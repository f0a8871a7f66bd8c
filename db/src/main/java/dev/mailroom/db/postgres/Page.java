package dev.mailroom.db.postgres;

import java.util.List;
import java.util.function.Function;

/** One page of a keyset-paginated list; {@code nextAfter} is the last key, null at the end. */
public record Page<T, K>(List<T> items, K nextAfter) {

    /** Builds a page from up to {@code limit + 1} fetched rows: the extra row only proves there is more. */
    public static <T, K> Page<T, K> of(List<T> fetched, int limit, Function<T, K> key) {
        if (fetched.size() <= limit) return new Page<>(fetched, null);
        List<T> items = fetched.subList(0, limit);
        return new Page<>(List.copyOf(items), key.apply(items.get(limit - 1)));
    }
}
