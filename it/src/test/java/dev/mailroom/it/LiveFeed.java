package dev.mailroom.it;

import dev.mailroom.testkit.CampaignEventLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A campaign's live events as the console gets them (GET /api/campaigns/{id}/events, server-sent events):
 * the worker's "batch" once a batch is recorded and "status" once it lets the campaign go. Tests wait on
 * these, not on wall-clock time.
 */
final class LiveFeed extends CampaignEventLog implements AutoCloseable {
    private final InputStream body;
    private final BufferedReader in;

    private LiveFeed(InputStream body, BufferedReader in) {
        this.body = body;
        this.in = in;
        Thread.ofVirtual().name("live-feed").start(this::read);
    }

    static LiveFeed open(HttpRequest request) {
        try {
            HttpResponse<InputStream> res = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (res.statusCode() != 200) throw new AssertionError("event stream answered " + res.statusCode());
            BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8));
            String first = in.readLine(); // the subscription comment: from here on nothing is missed
            if (first == null || !first.contains("subscribed")) throw new AssertionError("no subscription: " + first);
            return new LiveFeed(res.body(), in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read() {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("data:")) heard(line.substring(5).trim());
            }
        } catch (IOException e) {
            // closed by the test or the server
        }
    }

    @Override
    public void close() {
        try {
            body.close(); // not the reader: its lock is held by the blocked readLine until the next event
        } catch (IOException ignored) {
            // already closed
        }
    }
}
