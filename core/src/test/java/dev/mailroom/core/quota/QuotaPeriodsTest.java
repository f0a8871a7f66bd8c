package dev.mailroom.core.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class QuotaPeriodsTest {

    @Test
    void I5_the_hour_and_month_are_those_of_the_quota_zone() {
        QuotaPeriods p = QuotaPeriods.at(Instant.parse("2024-06-30T20:10:00Z"), ZoneId.of("Asia/Kolkata")); // 01:40 IST, 1 July
        assertThat(p.hourStart()).isEqualTo(Instant.parse("2024-06-30T19:30:00Z"));
        assertThat(p.hourEnd()).isEqualTo(Instant.parse("2024-06-30T20:30:00Z"));
        assertThat(p.monthStart()).isEqualTo(Instant.parse("2024-06-30T18:30:00Z"));
        assertThat(p.monthEnd()).isEqualTo(Instant.parse("2024-07-31T18:30:00Z"));
    }

    @Test
    void I5_the_repeated_fall_back_hour_counts_as_two_hours_with_distinct_keys() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        QuotaPeriods first = QuotaPeriods.at(Instant.parse("2024-10-27T00:30:00Z"), berlin);  // 02:30 CEST
        QuotaPeriods second = QuotaPeriods.at(Instant.parse("2024-10-27T01:30:00Z"), berlin); // 02:30 CET
        assertThat(first.hourEnd()).isEqualTo(Instant.parse("2024-10-27T01:00:00Z"));
        assertThat(second.hourStart()).isEqualTo(Instant.parse("2024-10-27T01:00:00Z"));
        assertThat(first.hourKey()).isNotEqualTo(second.hourKey());
        assertThat(first.monthKey()).isEqualTo(second.monthKey());
    }
}
