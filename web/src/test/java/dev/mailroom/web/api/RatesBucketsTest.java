package dev.mailroom.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A long life is told in wider buckets: never more than a day's worth of minutes in one answer. */
class RatesBucketsTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void buckets_widen_to_whole_minutes_when_the_life_is_long() {
        assertThat(RatesController.bucketSeconds(null, NOW.minus(Duration.ofHours(3)), NOW)).isEqualTo(60);
        assertThat(RatesController.bucketSeconds(null, NOW.minus(Duration.ofDays(3)), NOW)).isEqualTo(180);
        assertThat(RatesController.bucketSeconds(3600L, NOW.minus(Duration.ofDays(3)), NOW)).isEqualTo(3600);
    }
}
