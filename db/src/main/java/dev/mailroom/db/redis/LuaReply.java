package dev.mailroom.db.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** A Lua script's array reply: integers and strings by position. */
public record LuaReply(List<?> values) {

    static LuaReply of(Object reply) {
        return new LuaReply((List<?>) reply);
    }

    public long number(int i) {
        Object v = values.get(i);
        return v instanceof Number n ? n.longValue() : Long.parseLong(text(i));
    }

    public String text(int i) {
        Object v = values.get(i);
        return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v);
    }
}
