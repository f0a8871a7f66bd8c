package dev.mailroom.web;

import dev.mailroom.testkit.TestServices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the Redis connections of one named client (CLIENT LIST, then CLIENT KILL ID), as a network blip would:
 * only that client's, never another test run's on the same server.
 */
final class RedisConnections {
    private RedisConnections() {}

    /** @return how many connections were cut */
    static int cut(String clientName) throws IOException {
        URI uri = URI.create(TestServices.redisUrl());
        try (Socket s = new Socket(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            send(out, "CLIENT", "LIST");
            List<String> ids = new ArrayList<>();
            for (String line : bulk(in).split("\n")) {
                if (line.contains(" name=" + clientName + " ")) ids.add(line.substring(3, line.indexOf(' ')));
            }
            for (String id : ids) {
                send(out, "CLIENT", "KILL", "ID", id);
                in.readLine();
            }
            return ids.size();
        }
    }

    private static void send(OutputStream out, String... args) throws IOException {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String bulk(BufferedReader in) throws IOException {
        String header = in.readLine();
        if (header == null || !header.startsWith("$")) throw new IOException("unexpected reply " + header);
        char[] body = new char[Integer.parseInt(header.substring(1))];
        int read = 0;
        while (read < body.length) {
            int n = in.read(body, read, body.length - read);
            if (n < 0) throw new IOException("reply cut short");
            read += n;
        }
        in.readLine();
        return new String(body);
    }
}
