package dev.mailroom.worker.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A received message checked by code that is not ours: Debian's python3-dkim (dkimpy) verifies its DKIM
 * signature against a TXT record, Python's email package parses its headers (dkim_check.py beside this).
 */
public final class DkimPy {
    static final String PYTHON = "/usr/bin/python3";

    private DkimPy() {}

    /** The checker's report: verified, tampered_verified, dns_names, signature_tags, subject, list_unsubscribe(_post). */
    public static JsonNode check(byte[] message, String dnsTxt) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("dkimpy");
        try {
            Path script = dir.resolve("dkim_check.py");
            try (InputStream in = DkimPy.class.getResourceAsStream("dkim_check.py")) {
                Files.write(script, in.readAllBytes());
            }
            Path msg = Files.write(dir.resolve("message.eml"), message);
            Path txt = Files.writeString(dir.resolve("record.txt"), dnsTxt, StandardCharsets.US_ASCII);
            Process p = new ProcessBuilder(PYTHON, script.toString(), msg.toString(), txt.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("dkim_check.py failed (is python3-dkim installed? scripts/test installs it): " + out);
            }
            return new ObjectMapper().readTree(out);
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }

    /** The message bytes exactly as the SMTP server took them (it reads DATA as ISO-8859-1). */
    public static byte[] bytesOf(String data) {
        return data.getBytes(StandardCharsets.ISO_8859_1);
    }
}
