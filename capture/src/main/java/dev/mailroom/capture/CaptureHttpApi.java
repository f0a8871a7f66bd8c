package dev.mailroom.capture;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON API over the captured mail.
 *
 * <ul>
 *   <li>{@code GET /messages/count} → {@code {"count": N, "distinct_message_ids": M}}
 *   <li>{@code GET /messages?limit=50} → newest deliveries {@code [{to, subject, message_id, received_at}]}
 *   <li>{@code GET /messages/raw?message_id=<id>} → that message as received ({@code message/rfc822}), for
 *       checks by independent tools (a DKIM verifier, a MIME parser)
 *   <li>{@code DELETE /messages} → purge everything
 * </ul>
 */
final class CaptureHttpApi {
    private static final Logger log = LoggerFactory.getLogger(CaptureHttpApi.class);
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 10_000;

    private final HttpServer server;
    private final ExecutorService executor;
    private final CapturedMail mail;

    private CaptureHttpApi(HttpServer server, ExecutorService executor, CapturedMail mail) {
        this.server = server;
        this.executor = executor;
        this.mail = mail;
    }

    static CaptureHttpApi start(String host, int port, CapturedMail mail) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService executor = Executors.newFixedThreadPool(2);
        CaptureHttpApi api = new CaptureHttpApi(server, executor, mail);
        server.createContext("/", api::handle);
        server.setExecutor(executor);
        server.start();
        return api;
    }

    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            route(ex);
        } catch (IllegalArgumentException e) {
            send(ex, 400, error(e.getMessage()));
        } catch (Exception e) {
            log.warn("Request {} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
            send(ex, 500, error("internal error"));
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws Exception {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/messages/count") || path.equals("/messages/count/")) {
            if (!method.equals("GET")) {
                send(ex, 405, error("use GET"));
                return;
            }
            CapturedMail.Counts c = mail.counts();
            send(ex, 200, "{\"count\": " + c.count() + ", \"distinct_message_ids\": " + c.distinctMessageIds() + "}");
        } else if (path.equals("/messages/raw") && method.equals("GET")) {
            String id = query(ex.getRequestURI(), "message_id");
            if (id == null || id.isBlank()) throw new IllegalArgumentException("message_id is required");
            byte[] raw = mail.raw(id);
            if (raw == null) {
                send(ex, 404, error("no message with that Message-ID"));
            } else {
                ex.getResponseHeaders().set("Content-Type", "message/rfc822");
                ex.sendResponseHeaders(200, raw.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(raw);
                }
            }
        } else if (path.equals("/messages") || path.equals("/messages/")) {
            switch (method) {
                case "GET" -> send(ex, 200, toJson(mail.newest(limit(ex.getRequestURI()))));
                case "DELETE" -> {
                    mail.purge();
                    log.info("Purged all captured messages");
                    send(ex, 200, "{\"purged\": true}");
                }
                default -> send(ex, 405, error("use GET or DELETE"));
            }
        } else {
            send(ex, 404, error("not found"));
        }
    }

    private static String query(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) return null;
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static int limit(URI uri) {
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("limit=")) {
                    try {
                        return Math.clamp(Integer.parseInt(pair.substring(6)), 0, MAX_LIMIT);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("limit must be an integer");
                    }
                }
            }
        }
        return DEFAULT_LIMIT;
    }

    private static String toJson(List<CapturedMail.Delivery> deliveries) {
        StringBuilder sb = new StringBuilder("[");
        for (CapturedMail.Delivery d : deliveries) {
            if (sb.length() > 1) {
                sb.append(",\n ");
            }
            sb.append("{\"to\": ").append(str(d.to()))
                    .append(", \"subject\": ").append(str(d.subject()))
                    .append(", \"message_id\": ").append(str(d.messageId()))
                    .append(", \"received_at\": ").append(str(d.receivedAt().toString()))
                    .append('}');
        }
        return sb.append("]").toString();
    }

    private static String error(String message) {
        return "{\"error\": " + str(message) + "}";
    }

    /** JSON string literal (or {@code null}). */
    private static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = (json + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
