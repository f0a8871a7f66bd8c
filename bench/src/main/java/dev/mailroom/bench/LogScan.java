package dev.mailroom.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * I14, no PII or secrets in logs: every log file of the run (each worker's, across its restarts, the
 * web process's and the harness's own) is scanned for a recipient address (every address the harness
 * uses is under {@code chaos.test}; also URL-encoded), the run's admin API key and its SMTP passwords
 * (the one the relay round rotates to included; also as sent in AUTH LOGIN and AUTH PLAIN, base64). A
 * hit is reported by file, line and kind, never by its text.
 */
final class LogScan {
    private static final Pattern ADDRESS = Pattern.compile(
            "[A-Za-z0-9._%+-]+(@|%40)([A-Za-z0-9-]+\\.)*chaos\\.test", Pattern.CASE_INSENSITIVE);

    /** Each secret, with the kind a hit is reported as. */
    private final Map<String, String> secrets = new LinkedHashMap<>();

    LogScan(String adminKey, String smtpUser, String smtpPassword) {
        this(adminKey, smtpUser, List.of(smtpPassword));
    }

    /** @param smtpPasswords every SMTP password of the run (the relay round rotates one) */
    LogScan(String adminKey, String smtpUser, List<String> smtpPasswords) {
        Base64.Encoder b64 = Base64.getEncoder();
        secrets.put(adminKey, "admin API key");
        for (String password : smtpPasswords) {
            secrets.put(password, "SMTP password");
            secrets.put(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)), "SMTP password (base64)");
            secrets.put(b64.encodeToString(("\0" + smtpUser + "\0" + password).getBytes(StandardCharsets.UTF_8)), "SMTP AUTH PLAIN");
        }
    }

    Map<String, Object> check(Invariants inv, Path logs) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(logs)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        Map<String, Long> hitsByKind = new LinkedHashMap<>();
        List<String> examples = new ArrayList<>();
        long lines = 0;
        for (Path f : files) {
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                int n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    for (String kind : kinds(line)) {
                        hitsByKind.merge(kind, 1L, Long::sum);
                        if (examples.size() < 5) examples.add(f.getFileName() + ":" + n + " (" + kind + ")");
                    }
                }
                lines += n;
            }
        }
        inv.add("I14 no recipient address, API key or SMTP password in the logs", hitsByKind.isEmpty(),
                files.size() + " files, " + lines + " lines scanned; " + (hitsByKind.isEmpty() ? "no hit"
                        : "hits " + hitsByKind + ", e.g. " + examples));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("files", files.stream().map(p -> p.getFileName().toString()).toList());
        out.put("lines", lines);
        out.put("hits", hitsByKind);
        out.put("examples", examples);
        return out;
    }

    private List<String> kinds(String line) {
        List<String> out = new ArrayList<>(1);
        if (ADDRESS.matcher(line).find()) out.add("recipient address");
        secrets.forEach((secret, kind) -> {
            if (line.contains(secret) && !out.contains(kind)) out.add(kind);
        });
        return out;
    }
}
