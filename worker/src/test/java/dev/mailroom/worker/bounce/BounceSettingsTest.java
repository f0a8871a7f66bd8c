package dev.mailroom.worker.bounce;

import dev.mailroom.core.sender.ComplaintRateAlert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.worker.WorkerConfig;
import dev.mailroom.worker.WorkerHarness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BounceSettingsTest {

    @Test
    void mailboxes_are_read_every_minute_and_a_complaint_rate_over_three_per_thousand_alerts_by_default() {
        WorkerConfig c = WorkerHarness.config("w", Map.of());
        assertThat(c.bouncePoll()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.complaintRateAlert()).isEqualTo(ComplaintRateAlert.DEFAULT);
    }

    @Test
    void a_tick_comes_at_most_every_ten_seconds_so_new_settings_are_read_soon() {
        assertThat(BounceTick.wire(WorkerHarness.config("w", Map.of()), null).tick()).isEqualTo(Duration.ofSeconds(10));
        assertThat(BounceTick.wire(WorkerHarness.config("w", Map.of("MAILROOM_BOUNCE_POLL_MS", "2000")), null).tick())
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void a_poll_interval_under_a_second_or_a_rate_outside_zero_to_one_is_refused_by_name() {
        assertThatThrownBy(() -> WorkerHarness.config("w", Map.of("MAILROOM_BOUNCE_POLL_MS", "10")))
                .hasMessageContaining("MAILROOM_BOUNCE_POLL_MS");
        assertThatThrownBy(() -> WorkerHarness.config("w", Map.of("MAILROOM_COMPLAINT_RATE_ALERT", "3%")))
                .hasMessageContaining("MAILROOM_COMPLAINT_RATE_ALERT");
        assertThatThrownBy(() -> WorkerHarness.config("w", Map.of("MAILROOM_COMPLAINT_RATE_ALERT", "1.5")))
                .hasMessageContaining("MAILROOM_COMPLAINT_RATE_ALERT");
    }
}
