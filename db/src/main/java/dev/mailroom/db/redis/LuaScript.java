package dev.mailroom.db.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script from resources, called by its SHA (EVALSHA, over Jedis): one round trip. When Redis answers
 * NOSCRIPT (first use, a restart, SCRIPT FLUSH) the script goes in full once with EVAL, which also caches it.
 */
public final class LuaScript {
    private final Redis redis;
    private final String source;
    private final String sha;

    /** @param resource a file under {@code /lua/} on the class path */
    public LuaScript(Redis redis, String resource) {
        this(read(resource), redis);
    }

    private LuaScript(String source, Redis redis) {
        this.redis = redis;
        this.source = source;
        this.sha = sha1(source);
    }

    /** A script given as text, for tests. */
    static LuaScript ofSource(Redis redis, String source) {
        return new LuaScript(source, redis);
    }

    /**
     * Arguments go over as strings. A script that met a closed connection runs once more (see
     * {@link Redis#call}): for scripts that may run twice.
     */
    public LuaReply call(List<String> keys, Object... args) {
        List<String> texts = texts(args);
        return LuaReply.of(redis.call(j -> evalSha(j, keys, texts)));
    }

    /**
     * As {@link #call}, and behind a Sentinel set the reply counts only once a replica also holds the script's
     * writes (WAIT, pipelined on the same connection: still one round trip, plus the replica's
     * acknowledgement), so a failover to that replica keeps them. For the quota reservation: a count the new
     * master lost would let a sender past its limit (I5). When no replica acknowledges within
     * {@link Redis#REPLICA_WAIT_MILLIS} — the replica is down or resyncing, or this master was just demoted
     * and its writes are about to be discarded — {@code undo} runs on the same connection, so on the same
     * server (what it takes back is kept or discarded together with what the script wrote), with the
     * arguments {@code undoArguments} computes from the reply (nothing to undo when they are empty), and
     * {@link UnreplicatedWrite} is thrown: the caller must not act on the reply.
     */
    public LuaReply callReplicated(List<String> keys, Object[] args, LuaScript undo, Function<LuaReply, List<String>> undoArguments) {
        if (!redis.hasReplicas()) return call(keys, args);
        List<String> texts = texts(args);
        return LuaReply.of(redis.call(j -> {
            try {
                return evalThenWait(j, keys, texts, false, undo, undoArguments);
            } catch (JedisNoScriptException e) {
                return evalThenWait(j, keys, texts, true, undo, undoArguments);
            }
        }));
    }

    private Object evalThenWait(UnifiedJedis jedis, List<String> keys, List<String> args, boolean inFull, LuaScript undo,
                                Function<LuaReply, List<String>> undoArguments) {
        try (AbstractPipeline p = jedis.pipelined()) {
            Response<Object> reply = inFull ? p.eval(source, keys, args) : p.evalsha(sha, keys, args);
            Response<Long> replicas = p.waitReplicas(keys.getFirst(), 1, Redis.REPLICA_WAIT_MILLIS);
            p.sync();
            Object result = reply.get();
            if (replicas.get() >= 1) return result;
            List<String> back = undoArguments.apply(LuaReply.of(result));
            if (!back.isEmpty()) {
                p.eval(undo.source, keys, back); // rare: in full, no NOSCRIPT round
                p.sync();
            }
            throw new UnreplicatedWrite();
        }
    }

    /** No replica acknowledged a write that must survive a failover; see {@link #callReplicated}. */
    public static final class UnreplicatedWrite extends JedisException {
        UnreplicatedWrite() {
            super("no Redis replica acknowledged the write within " + Redis.REPLICA_WAIT_MILLIS + " ms; it was taken back");
        }
    }

    /** As {@link #call}, for a script that must not run twice: it fails instead. */
    public LuaReply callAtMostOnce(List<String> keys, Object... args) {
        List<String> texts = texts(args);
        return LuaReply.of(redis.callAtMostOnce(j -> evalSha(j, keys, texts)));
    }

    private Object evalSha(UnifiedJedis jedis, List<String> keys, List<String> args) {
        try {
            return jedis.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            return jedis.eval(source, keys, args);
        }
    }

    private static List<String> texts(Object[] args) {
        List<String> texts = new ArrayList<>(args.length);
        for (Object a : args) texts.add(String.valueOf(a));
        return texts;
    }

    private static String read(String resource) {
        try (InputStream in = LuaScript.class.getResourceAsStream("/lua/" + resource)) {
            if (in == null) throw new IllegalStateException("missing Lua script " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
