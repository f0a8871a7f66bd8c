package dev.mailroom.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The few Redis commands the harness needs on its own database index (FLUSHDB, GET, KEYS), spoken in
 * RESP over a socket: no client library, no connection pool to outlive a flush. Behind a Sentinel set they
 * go to the master the Sentinels name now, and {@link #failover} forces a failover.
 */
final class RedisCommand {
    private RedisCommand() {}

    /** Empties the harness's database index only (FLUSHDB, never FLUSHALL). */
    static void flushDb(HarnessEnv env) throws IOException {
        run(env, "FLUSHDB");
    }

    /** The string value of {@code key}, or null when it does not exist. */
    static String get(HarnessEnv env, String key) throws IOException {
        List<String> r = run(env, "GET", key);
        return r.isEmpty() ? null : r.get(0);
    }

    /** The keys matching {@code pattern} (KEYS: fine on the harness's small database). */
    static List<String> keys(HarnessEnv env, String pattern) throws IOException {
        return run(env, "KEYS", pattern);
    }

    /** The master's "host:port" now: the one server, or the one the Sentinels name. */
    static String master(HarnessEnv env) throws IOException {
        if (env.redisSentinel() == null) return env.redisHost() + ":" + env.redisPort();
        IOException last = null;
        for (String sentinel : sentinels(env)) {
            try {
                List<String> addr = on(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName(env));
                if (addr.size() == 2) return addr.get(0) + ":" + addr.get(1);
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("no Sentinel named the master " + masterName(env), last);
    }

    /**
     * SENTINEL FAILOVER, then waits (up to 30 s) until the Sentinels name another master.
     * @return "old -> new" master addresses
     */
    static String failover(HarnessEnv env) throws IOException, InterruptedException {
        String before = master(env);
        on(sentinels(env).getFirst(), "SENTINEL", "FAILOVER", masterName(env));
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until) {
            String now = master(env);
            if (!now.equals(before)) return before + " -> " + now;
            Thread.sleep(100);
        }
        throw new IOException("the Sentinels still name " + before + " 30 s after SENTINEL FAILOVER");
    }

    private static List<String> sentinels(HarnessEnv env) {
        return List.of(env.redisSentinel().substring(0, env.redisSentinel().indexOf('/')).split(","));
    }

    private static String masterName(HarnessEnv env) {
        return env.redisSentinel().substring(env.redisSentinel().indexOf('/') + 1);
    }

    /** One command on the server at "host:port", without SELECT (a Sentinel has no databases). */
    private static List<String> on(String hostPort, String... command) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))), 3000);
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            send(s.getOutputStream(), command);
            return read(in, command[0] + " " + command[1]);
        }
    }

    private static List<String> run(HarnessEnv env, String... command) throws IOException {
        String master = master(env);
        int colon = master.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(master.substring(0, colon), Integer.parseInt(master.substring(colon + 1))), 3000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            send(out, "SELECT", Integer.toString(env.redisDb()));
            read(in, "SELECT " + env.redisDb());
            send(out, command);
            return read(in, command[0]);
        }
    }

    private static void send(OutputStream out, String... args) throws IOException {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** A simple string (empty list), a bulk string (one item, none when nil) or an array of bulk strings. */
    private static List<String> read(BufferedReader in, String what) throws IOException {
        String reply = in.readLine();
        if (reply == null || reply.startsWith("-")) throw new IOException("Redis answered " + reply + " to " + what);
        List<String> out = new ArrayList<>();
        switch (reply.charAt(0)) {
            case '+', ':' -> { }
            case '$' -> bulk(in, reply, out);
            case '*' -> {
                int n = Integer.parseInt(reply.substring(1));
                for (int i = 0; i < n; i++) bulk(in, in.readLine(), out);
            }
            default -> throw new IOException("unexpected Redis reply " + reply + " to " + what);
        }
        return out;
    }

    /** Keys and counters are ASCII without line breaks, so a bulk string is one line. */
    private static void bulk(BufferedReader in, String header, List<String> out) throws IOException {
        if (header == null || !header.startsWith("$")) throw new IOException("expected a bulk string, got " + header);
        if (Integer.parseInt(header.substring(1)) >= 0) out.add(in.readLine());
    }
}
