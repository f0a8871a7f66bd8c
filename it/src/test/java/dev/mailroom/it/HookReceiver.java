package dev.mailroom.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A webhook receiver on 127.0.0.1: answers 204, or 302 to {@code redirectTo} when given; records each call's path. */
final class HookReceiver implements AutoCloseable {
    private final HttpServer server;
    final List<String> calls = new CopyOnWriteArrayList<>();

    HookReceiver(String redirectTo) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            calls.add(exchange.getRequestURI().getPath());
            if (redirectTo != null) exchange.getResponseHeaders().add("Location", redirectTo);
            exchange.sendResponseHeaders(redirectTo != null ? 302 : 204, -1);
            exchange.close();
        });
        server.start();
    }

    HookReceiver() {
        this(null);
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String host) {
        return "http://" + host + ":" + port() + "/hook";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
