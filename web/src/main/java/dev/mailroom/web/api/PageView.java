package dev.mailroom.web.api;

import dev.mailroom.db.postgres.Page;
import java.util.List;
import java.util.function.Function;

/** {"items": [...], "next_cursor": "..." | null}. */
public record PageView<V>(List<V> items, String nextCursor) {
    public static <T, K, V> PageView<V> of(Page<T, K> page, Function<T, V> view) {
        return new PageView<>(page.items().stream().map(view).toList(), Requests.encodeCursor(page.nextAfter()));
    }
}
