package dev.mailroom.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogScanTest {
    private static final String KEY = "bench-admin-key-0123456789";
    private static final String PASSWORD = "chaos-smtp-deadbeef";

    @TempDir
    Path logs;

    @Test
    void cleanLogsPass() throws Exception {
        Files.writeString(logs.resolve("w.log"), "campaign 3 claimed by w1 (fence 2)\nrecipient 17 sent\nfrom news@chaos.mailroom.test\n");
        Invariants inv = new Invariants(null);
        new LogScan(KEY, "chaos", PASSWORD).check(inv, logs);
        assertThat(inv.allHold()).isTrue();
    }

    @Test
    void findsEveryPasswordOfTheRunTheRotatedOneIncluded() throws Exception {
        String rotated = "chaos-rotated-cafebabe";
        String login = Base64.getEncoder().encodeToString(rotated.getBytes(StandardCharsets.UTF_8));
        Files.writeString(logs.resolve("w2.log"), "password " + rotated + "\nAUTH LOGIN " + login + "\n");
        Invariants inv = new Invariants(null);
        Map<String, Object> out = new LogScan(KEY, "chaos", List.of(PASSWORD, rotated)).check(inv, logs);
        assertThat(inv.allHold()).isFalse();
        assertThat(out.get("hits")).isEqualTo(Map.of("SMTP password", 1L, "SMTP password (base64)", 1L));
    }

    @Test
    void findsAddressesKeysAndPasswordsAndNamesOnlyTheirPlace() throws Exception {
        String plain = Base64.getEncoder().encodeToString(("\0chaos\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        Files.writeString(logs.resolve("web.log"), "ok\nrejected u12@d12.chaos.test\nAuthorization: Bearer " + KEY + "\n");
        Files.writeString(logs.resolve("w1.log"), "unsubscribe?e=h3%40hb3.chaos.test\nAUTH PLAIN " + plain + "\n");
        Invariants inv = new Invariants(null);
        Map<String, Object> out = new LogScan(KEY, "chaos", PASSWORD).check(inv, logs);
        assertThat(inv.allHold()).isFalse();
        assertThat(out.get("hits")).isEqualTo(Map.of("recipient address", 2L, "admin API key", 1L, "SMTP AUTH PLAIN", 1L));
        assertThat(out.get("examples").toString()).contains("web.log:2 (recipient address)", "w1.log:2 (SMTP AUTH PLAIN)")
                .doesNotContain("chaos.test").doesNotContain(KEY);
    }
}
