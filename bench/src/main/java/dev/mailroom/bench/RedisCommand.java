package dev.mailroom.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The two Redis commands the harness needs (SELECT, FLUSHDB on its own database index), spoken in RESP
 * over a socket: no client library, no connection pool to outlive a flush.
 */
final class RedisCommand {
    private RedisCommand() {}

    /** Empties the harness's database index only (FLUSHDB, never FLUSHALL). */
    static void flushDb(HarnessEnv env) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(env.redisHost(), env.redisPort()), 3000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            send(out, "SELECT", Integer.toString(env.redisDb()));
            expectOk(in, "SELECT " + env.redisDb());
            send(out, "FLUSHDB");
            expectOk(in, "FLUSHDB");
        }
    }

    private static void send(OutputStream out, String... args) throws IOException {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void expectOk(BufferedReader in, String what) throws IOException {
        String reply = in.readLine();
        if (!"+OK".equals(reply)) throw new IOException("Redis answered " + reply + " to " + what);
    }
}
