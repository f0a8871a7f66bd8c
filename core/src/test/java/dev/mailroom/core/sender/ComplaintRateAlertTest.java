package dev.mailroom.core.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ComplaintRateAlertTest {
    @Test
    void defaults_to_three_per_thousand_and_reads_a_fraction_from_the_environment() {
        assertThat(ComplaintRateAlert.fromEnvironment(Map.of()).threshold()).isEqualTo(0.003);
        assertThat(ComplaintRateAlert.fromEnvironment(Map.of(ComplaintRateAlert.VARIABLE, " 0.001 ")).threshold())
                .isEqualTo(0.001);
        for (String bad : new String[] {"0", "-0.1", "1.5", "0.3%", "NaN"}) {
            assertThatThrownBy(() -> ComplaintRateAlert.fromEnvironment(Map.of(ComplaintRateAlert.VARIABLE, bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ComplaintRateAlert.VARIABLE);
        }
    }

    @Test
    void is_raised_at_the_threshold_and_never_without_a_complaint_or_a_send() {
        ComplaintRateAlert alert = ComplaintRateAlert.DEFAULT;
        assertThat(alert.raisedBy(3, 1000)).isTrue();
        assertThat(alert.raisedBy(2, 1000)).isFalse();
        assertThat(alert.raisedBy(0, 0)).isFalse();
        assertThat(alert.raisedBy(1, 0)).isFalse();
    }
}
