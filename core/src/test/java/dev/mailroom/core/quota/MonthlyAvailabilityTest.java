package dev.mailroom.core.quota;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MonthlyAvailabilityTest {

    @Test
    void I6_without_a_provider_sync_it_is_the_limit_minus_the_months_sends() {
        assertThat(MonthlyAvailability.available(10_000, 300, null, 0)).isEqualTo(9_700);
    }

    @Test
    void I6_after_a_sync_it_is_the_remaining_at_sync_minus_local_sends_since() {
        assertThat(MonthlyAvailability.available(10_000, 3_000, 5_000, 200)).isEqualTo(4_800);
    }

    @Test
    void I6_it_is_never_above_the_configured_monthly_limit() {
        assertThat(MonthlyAvailability.available(10_000, 100, 50_000, 0)).isEqualTo(9_900);
        assertThat(MonthlyAvailability.available(10_000, 0, 50_000, 10)).isEqualTo(10_000);
    }

    @Test
    void I6_it_is_never_negative() {
        assertThat(MonthlyAvailability.available(10_000, 0, 100, 150)).isZero();
        assertThat(MonthlyAvailability.available(100, 120, null, 0)).isZero();
    }
}
