package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailroom.core.secret.MetricsToken;
import dev.mailroom.web.csv.CsvLimits;
import dev.mailroom.web.sse.StreamLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CSV uploads within bounds: oversized fields, rows and headers are refused as soon as they cross the
 * line (not once read), slow uploads hold no database connection (they are spooled first), an upload
 * has a time limit, and the spool files are always deleted. Hostile bodies are streamed over a plain
 * socket from a small buffer, so the test itself stays small.
 */
class CsvUploadLimitsTest extends WebTestBase {
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static Path spoolDir() {
        return TestApp.csvLimits().spoolDir();
    }

    private static void awaitNoSpoolFiles() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (Stream<Path> files = Files.list(spoolDir())) {
                assertThat(files.toList()).as("spool files left behind").isEmpty();
            }
        });
    }

    /** Starts a chunked CSV upload over a raw socket; the caller writes chunks with {@link #chunk}. */
    private Socket startUpload(int port, long campaign) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        sockets.add(s);
        s.getOutputStream().write(("POST /api/campaigns/" + campaign + "/recipients HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + operator + "\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    private static void chunk(OutputStream out, byte[] data, int len) throws IOException {
        out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data, 0, len);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        chunk(out, b, b.length);
    }

    /** The whole answer to a request on this socket, status line first. */
    private static String answer(Socket s) throws IOException {
        s.setSoTimeout(60_000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                got.write(buf, 0, n);
                String text = got.toString(StandardCharsets.UTF_8);
                int body = text.indexOf("\r\n\r\n");
                if (body >= 0 && text.substring(body).contains("}")) break; // one problem+json document
            }
        } catch (IOException e) {
            if (got.size() == 0) throw e; // reset after the answer arrived is fine
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private static JsonNode problem(String answer) throws IOException {
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        body = body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1);
        return Api.JSON.readTree(body);
    }

    @Test
    void a_300_mb_single_row_is_refused_early_without_being_read_whole() throws Exception {
        long campaign = createCampaign(createSender("main"));
        Socket s = startUpload(TestApp.app().port(), campaign);
        OutputStream out = s.getOutputStream();
        chunk(out, "email,name,notes\nann@example.com,Ann,\"");
        AtomicLong sent = new AtomicLong();
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return answer(s);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] x = new byte[64 * 1024];
        Arrays.fill(x, (byte) 'x');
        long total = 300L * 1024 * 1024;
        try {
            while (sent.get() < total && !answer.isDone()) {
                chunk(out, x, x.length);
                sent.addAndGet(x.length);
            }
        } catch (IOException e) {
            // the server stopped reading and closed the connection: expected
        }
        String a = answer.get(60, TimeUnit.SECONDS);
        assertThat(a).startsWith("HTTP/1.1 400");
        JsonNode p = problem(a);
        assertThat(p.get("errors").get(0).get("field").asText()).isEqualTo("recipients[line 2]");
        assertThat(p.get("errors").get(0).get("message").asText()).contains("longer than 65536 characters");
        assertThat(sent.get()).as("bytes sent before the refusal").isLessThan(64L * 1024 * 1024);
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isZero();
        awaitNoSpoolFiles();
    }

    @Test
    void a_header_or_a_row_with_too_many_columns_and_a_row_too_long_are_refused() throws Exception {
        long campaign = createCampaign(createSender("main"));
        String path = "/api/campaigns/" + campaign + "/recipients";
        StringBuilder wide = new StringBuilder("email,name");
        for (int i = 0; i < 300; i++) wide.append(",c").append(i);
        Api.Res header = upload(path, wide + "\na@example.com,A\n");
        assertThat(header.status()).isEqualTo(400);
        assertThat(header.get("errors").get(0).get("field").asText()).isEqualTo("csv.header");
        assertThat(header.get("errors").get(0).get("message").asText()).contains("more than 200 fields");

        Api.Res row = upload(path, "email,name\na@example.com" + ",x".repeat(5000) + "\n");
        assertThat(row.status()).isEqualTo(400);
        assertThat(row.get("errors").get(0).get("field").asText()).isEqualTo("recipients[line 2]");

        String field = "y".repeat(60 * 1024);
        Api.Res longRow = upload(path, "email,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r\na@example.com" + ("," + field).repeat(18) + "\n");
        assertThat(longRow.status()).isEqualTo(400);
        assertThat(longRow.get("errors").get(0).get("message").asText()).contains("a row is longer than");

        String crm = "email,name," + String.join(",", java.util.stream.IntStream.range(0, 150).mapToObj(i -> "field_" + i).toList());
        String crmRow = "b@example.com,Bea," + String.join(",", java.util.stream.IntStream.range(0, 150).mapToObj(i -> "value " + i).toList());
        Api.Res fits = upload(path, crm + "\n" + crmRow + "\n");
        assertThat(fits.status()).as("a wide CRM export fits: %s", fits).isEqualTo(200);
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isEqualTo(1);
        awaitNoSpoolFiles();
    }

    @Test
    void a_body_declared_larger_than_the_limit_is_refused_before_it_is_read() throws Exception {
        long campaign = createCampaign(createSender("main"));
        Socket s = new Socket("127.0.0.1", TestApp.app().port());
        sockets.add(s);
        s.getOutputStream().write(("POST /api/campaigns/" + campaign + "/recipients HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + operator + "\r\nContent-Type: text/csv\r\nContent-Length: " + (TestApp.MAX_CSV + 1)
                + "\r\n\r\nemail\n").getBytes(StandardCharsets.US_ASCII));
        String a = answer(s);
        assertThat(a).startsWith("HTTP/1.1 413");
        assertThat(problem(a).get("type").asText()).isEqualTo("/problems/too-large");
    }

    @Test
    void slow_uploads_hold_no_database_connection() throws Exception {
        long campaign = createCampaign(createSender("main"));
        int slow = 12; // more than the test app's pool of 8 connections
        for (int i = 0; i < slow; i++) {
            OutputStream out = startUpload(TestApp.app().port(), campaign).getOutputStream();
            chunk(out, "email,name\nslow" + i + "@example.com,Slow\n"); // ...and then nothing more for a while
            out.flush();
        }
        Thread.sleep(500); // let every upload reach the server
        long t0 = System.nanoTime();
        Api.Res read = Api.get("/api/campaigns/" + campaign + "/progress", viewer);
        Api.Res write = Api.post("/api/campaigns/" + campaign + "/recipients", operator,
                "{\"recipients\": [{\"email\": \"fast@example.com\"}]}");
        Api.Res csv = upload("/api/campaigns/" + campaign + "/recipients", "email\nquick@example.com\n");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(write.status()).as(write.toString()).isEqualTo(200);
        assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
        assertThat(ms).as("answered while %d uploads stall", slow).isLessThan(5_000);
        try (Stream<Path> files = Files.list(spoolDir())) {
            assertThat(files.count()).as("each stalled upload is being spooled").isEqualTo(slow);
        }
        closeSockets(); // the clients give up: their spool files go
        awaitNoSpoolFiles();
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isEqualTo(2);
    }

    @Test
    void an_upload_slower_than_its_time_limit_is_refused_with_408_and_leaves_no_file() throws Exception {
        CsvLimits base = TestApp.csvLimits();
        CsvLimits quick = new CsvLimits(base.maxBytes(), base.maxColumns(), base.maxFieldChars(), base.maxRowChars(),
                Duration.ofSeconds(2), base.spoolDir());
        WebApp app = WebApp.create(TestApp.deps(quick, StreamLimits.DEFAULT, MetricsToken.NONE)).start("127.0.0.1", 0);
        try {
            long campaign = createCampaign(createSender("main"));
            Socket s = startUpload(app.port(), campaign);
            OutputStream out = s.getOutputStream();
            chunk(out, "email,name\n");
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return answer(s);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long t0 = System.nanoTime();
            try {
                for (int i = 0; i < 100 && !answer.isDone(); i++) { // a row every 250 ms: 25 s if never stopped
                    chunk(out, "trickle" + i + "@example.com,T\n");
                    out.flush();
                    Thread.sleep(250);
                }
            } catch (IOException e) {
                // the server ended the upload
            }
            String a = answer.get(30, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(a).startsWith("HTTP/1.1 408");
            assertThat(problem(a).get("type").asText()).isEqualTo("/problems/upload-timeout");
            assertThat(ms).isBetween(1_500L, 10_000L);
            assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isZero();
            awaitNoSpoolFiles();
        } finally {
            app.stop();
        }
    }

    @Test
    void spool_files_are_deleted_after_a_load_and_after_a_refusal() {
        long campaign = createCampaign(createSender("main"));
        String path = "/api/campaigns/" + campaign + "/recipients";
        assertThat(upload(path, "email,plan\na@example.com,pro\nb@example.com,free\n").status()).isEqualTo(200);
        assertThat(upload(path, "email\nc@example.com\nnot-an-address\n").status()).isEqualTo(400);
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isEqualTo(2);
        awaitNoSpoolFiles();
    }

    private Api.Res upload(String path, String csv) {
        return Api.post(path, operator, "text/csv", HttpRequest.BodyPublishers.ofString(csv));
    }
}
