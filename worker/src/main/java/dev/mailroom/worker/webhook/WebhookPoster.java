package dev.mailroom.worker.webhook;

import dev.mailroom.core.net.EgressPolicy;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * POSTs a webhook body and tells what came of it, in our words: the status code, or a class and a short
 * reason ("connect_failed: connection refused", "egress_refused: 10.0.0.5 is a private address"). The
 * receiver's body is never read and no text of its reaches the delivery log. Connections go only to
 * addresses the {@link EgressPolicy} let through ({@link EgressResolver}); a redirect is never followed.
 */
final class WebhookPoster implements AutoCloseable {
    /**
     * @param status    the HTTP status, or null when none came
     * @param error     null on a 2xx, else what went wrong
     * @param permanent when trying again cannot help (the egress policy refuses the address)
     */
    record Answer(Integer status, String error, boolean permanent) {
        boolean delivered() {
            return error == null;
        }
    }

    private final HttpClient http;
    private final Duration timeout;

    WebhookPoster(EgressPolicy policy, EgressPolicy.Resolver dns, Duration timeout) {
        this.timeout = timeout;
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("webhook-http");
        threads.setDaemon(true);
        http = new HttpClient();
        http.setExecutor(threads);
        http.setScheduler(new ScheduledExecutorScheduler("webhook-http-timer", true));
        http.setSocketAddressResolver(new EgressResolver(policy, dns));
        http.setFollowRedirects(false);
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        http.setConnectTimeout(timeout.toMillis());
        http.setIdleTimeout(timeout.toMillis());
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Mailroom-Webhooks"));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("webhook HTTP client did not start", e);
        }
    }

    Answer post(String url, Map<String, String> headers, String body) throws InterruptedException {
        Request request;
        try {
            request = http.newRequest(URI.create(url)).method(HttpMethod.POST)
                    .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .headers(h -> headers.forEach(h::put))
                    .body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return new Answer(null, "invalid_url: the stored URL cannot be parsed", true);
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        try {
            Response response = listener.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            listener.getInputStream().close(); // the body is not ours to keep
            return status(response.getStatus());
        } catch (TimeoutException e) {
            request.abort(e);
            return new Answer(null, "timeout: no answer within " + timeout.toSeconds() + " s", false);
        } catch (ExecutionException e) {
            return failure(e.getCause());
        } catch (java.io.IOException e) {
            return failure(e);
        }
    }

    private static Answer status(int status) {
        if (status >= 200 && status < 300) return new Answer(status, null, false);
        if (status >= 300 && status < 400) return new Answer(status, "redirect_not_followed: HTTP " + status, false);
        return new Answer(status, "http_error: HTTP " + status, false);
    }

    /** Our words for a failure: the local exception's kind decides, its text (which may quote the peer) is dropped. */
    static Answer failure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EgressPolicy.Refused r) return new Answer(null, "egress_refused: " + r.getMessage(), true);
            if (t instanceof UnknownHostException) return new Answer(null, "dns_failed: the host name does not resolve", false);
            if (t instanceof SSLException) {
                return new Answer(null, "tls_failed: the TLS handshake failed (certificate or host name not trusted)", false);
            }
            if (t instanceof ConnectException) return new Answer(null, "connect_failed: connection refused", false);
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
                return new Answer(null, "timeout: no answer in time", false);
            }
        }
        return new Answer(null, "connect_failed: the connection failed ("
                + (failure == null ? "unknown" : failure.getClass().getSimpleName()) + ")", false);
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // stopping anyway
        }
    }
}
