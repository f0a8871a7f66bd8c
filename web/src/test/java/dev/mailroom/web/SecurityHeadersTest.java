package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every response carries the security headers: API answers, errors, the console, static files, metrics. */
class SecurityHeadersTest extends WebTestBase {
    private static final String CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(TestApp.base() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) b.header("Authorization", "Bearer " + key);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertSecured(HttpResponse<String> r, String csp) {
        HttpHeaders h = r.headers();
        String what = r.request().method() + " " + r.uri().getPath() + " → " + r.statusCode();
        assertThat(h.allValues("Content-Security-Policy")).as(what).containsExactly(csp);
        assertThat(h.allValues("X-Content-Type-Options")).as(what).containsExactly("nosniff");
        assertThat(h.allValues("Referrer-Policy")).as(what).containsExactly("no-referrer");
    }

    @Test
    void api_answers_and_errors_carry_the_headers() throws Exception {
        Object[][] cases = {
                {"GET", "/api/campaigns", viewer, null, 200},
                {"GET", "/api/campaigns", null, null, 401},
                {"POST", "/api/campaigns", viewer, "{}", 403},
                {"GET", "/api/campaigns/999", viewer, null, 404},
                {"GET", "/api/no-such-thing", viewer, null, 404},
                {"POST", "/api/suppressions", operator, "{not json", 400},
                {"POST", "/api/suppressions", operator, "{\"email\": \"" + "a".repeat(300 * 1024) + "\"}", 413},
                {"GET", "/health/live", null, null, 200},
                {"GET", "/metrics", null, null, 200},
        };
        for (Object[] c : cases) {
            HttpResponse<String> r = send((String) c[0], (String) c[1], (String) c[2], (String) c[3]);
            assertThat(r.statusCode()).as(c[0] + " " + c[1]).isEqualTo(c[4]);
            assertSecured(r, CSP);
        }
    }

    @Test
    void the_console_and_its_static_files_carry_the_headers() throws Exception {
        for (String path : new String[] {"/", "/index.html", "/app.css", "/js/main.js", "/js/views/campaign.js", "/favicon.ico"}) {
            HttpResponse<String> r = send("GET", path, null, null);
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertSecured(r, CSP);
        }
    }

    @Test
    void the_unsubscribe_page_keeps_its_stricter_policy() throws Exception {
        HttpResponse<String> r = send("GET", "/u/not-a-token", null, null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertSecured(r, "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    }
}
