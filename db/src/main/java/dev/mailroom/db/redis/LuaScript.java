package dev.mailroom.db.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;

/** A Lua script from resources: loaded once, called by SHA, reloaded when Redis answers NOSCRIPT. */
public final class LuaScript {
    private final RedissonClient client;
    private final String source;
    private volatile String sha;

    public LuaScript(RedissonClient client, String resource) {
        this.client = client;
        try (InputStream in = LuaScript.class.getResourceAsStream("/lua/" + resource)) {
            if (in == null) throw new IllegalStateException("missing Lua script " + resource);
            this.source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Arguments go over as strings; the script's integer replies come back as longs. */
    public List<Long> call(List<Object> keys, Object... args) {
        Object[] texts = new Object[args.length];
        for (int i = 0; i < args.length; i++) texts[i] = String.valueOf(args[i]);
        List<Object> reply = evalSha(keys, texts);
        return reply.stream().map(v -> v instanceof Number n ? n.longValue() : Long.parseLong(v.toString())).toList();
    }

    private List<Object> evalSha(List<Object> keys, Object[] args) {
        RScript script = client.getScript(StringCodec.INSTANCE);
        if (sha == null) sha = script.scriptLoad(source);
        try {
            return script.evalSha(RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LIST, keys, args);
        } catch (RedisException e) {
            if (e.getMessage() == null || !e.getMessage().contains("NOSCRIPT")) throw e;
            sha = script.scriptLoad(source); // Redis restarted or flushed its scripts
            return script.evalSha(RScript.Mode.READ_WRITE, sha, RScript.ReturnType.LIST, keys, args);
        }
    }
}
