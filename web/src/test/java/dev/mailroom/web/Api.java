package dev.mailroom.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the real app: JSON in, status + JSON out. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Res(int status, String contentType, String text, String retryAfter) {
        Res(int status, String contentType, String text) {
            this(status, contentType, text, null);
        }

        JsonNode json() {
            try {
                return text == null || text.isEmpty() ? MissingNode.getInstance() : JSON.readTree(text);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text, e);
            }
        }

        JsonNode get(String field) {
            return json().path(field);
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    private Api() {}

    static Res get(String path, String key) {
        return send(request(path, key).GET().build());
    }

    static Res delete(String path, String key) {
        return send(request(path, key).DELETE().build());
    }

    static Res post(String path, String key, String json) {
        return send(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static Res put(String path, String key, String json) {
        return send(request(path, key).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static Res patch(String path, String key, String json) {
        return send(request(path, key).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static Res post(String path, String key, String contentType, HttpRequest.BodyPublisher body) {
        return send(request(path, key).header("Content-Type", contentType).POST(body).build());
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestApp.base() + path)).timeout(Duration.ofSeconds(120));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return b;
    }

    private static Res send(HttpRequest r) {
        try {
            HttpResponse<String> res = CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
            return new Res(res.statusCode(), res.headers().firstValue("Content-Type").orElse(""), res.body(),
                    res.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
