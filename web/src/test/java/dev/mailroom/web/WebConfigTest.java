package dev.mailroom.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.testkit.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request limits, stream caps and metrics token come from the environment, with named defaults. */
class WebConfigTest {

    private static WebConfig config(Map<String, String> extra) {
        return WebConfig.fromEnvironment(TestServices.mainEnvironment(extra));
    }

    @Test
    void defaults_fit_a_crm_export_and_leave_metrics_open() {
        WebConfig c = config(Map.of());
        assertThat(c.csv().maxColumns()).isEqualTo(200);
        assertThat(c.csv().maxFieldChars()).isEqualTo(64 * 1024);
        assertThat(c.csv().maxRowChars()).isEqualTo(1024 * 1024);
        assertThat(c.csv().timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.streams().perKey()).isEqualTo(5);
        assertThat(c.streams().perProcess()).isEqualTo(200);
        assertThat(c.streams().idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.metricsToken().required()).isFalse();
    }

    @Test
    void reads_each_setting(@TempDir Path spool) {
        var env = new HashMap<String, String>();
        env.put("MAILROOM_CSV_MAX_COLUMNS", "50");
        env.put("MAILROOM_CSV_MAX_FIELD_CHARS", "1000");
        env.put("MAILROOM_CSV_MAX_ROW_CHARS", "20000");
        env.put("MAILROOM_CSV_UPLOAD_TIMEOUT_MS", "30000");
        env.put("MAILROOM_CSV_SPOOL_DIR", spool.toString());
        env.put("MAILROOM_SSE_MAX_PER_KEY", "2");
        env.put("MAILROOM_SSE_MAX_STREAMS", "20");
        env.put("MAILROOM_SSE_IDLE_TIMEOUT_MS", "60000");
        env.put("MAILROOM_METRICS_TOKEN", "scrape-me-please-0123");
        WebConfig c = config(env);
        assertThat(c.csv().maxColumns()).isEqualTo(50);
        assertThat(c.csv().maxRowChars()).isEqualTo(20000);
        assertThat(c.csv().spoolDir()).isEqualTo(spool);
        assertThat(c.streams().perKey()).isEqualTo(2);
        assertThat(c.streams().idleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.metricsToken().permits("Bearer scrape-me-please-0123")).isTrue();
        assertThat(c.toString()).contains("metricsToken=set").doesNotContain("scrape-me-please");
    }

    @Test
    void refuses_settings_that_make_no_sense() {
        assertThatThrownBy(() -> config(Map.of("MAILROOM_CSV_MAX_COLUMNS", "many"))).hasMessageContaining("whole number");
        assertThatThrownBy(() -> config(Map.of("MAILROOM_CSV_SPOOL_DIR", "/no/such/dir"))).hasMessageContaining("MAILROOM_CSV_SPOOL_DIR");
        assertThatThrownBy(() -> config(Map.of("MAILROOM_SSE_MAX_PER_KEY", "0"))).hasMessageContaining("MAILROOM_SSE_MAX_PER_KEY");
        assertThatThrownBy(() -> config(Map.of("MAILROOM_METRICS_TOKEN", "short"))).hasMessageContaining("MAILROOM_METRICS_TOKEN")
                .hasMessageNotContaining("short");
    }
}
