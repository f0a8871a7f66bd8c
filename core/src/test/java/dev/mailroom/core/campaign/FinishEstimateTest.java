package dev.mailroom.core.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.campaign.FinishEstimate.Limit;
import dev.mailroom.core.defer.SendWindow;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The finish time the console shows: rate, hourly limit and window each bind in turn. */
class FinishEstimateTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant TEN = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void at_the_rate_alone_it_is_remaining_over_rate() {
        FinishEstimate e = FinishEstimate.of(1_000, 100, 100_000, 0, null, UTC, TEN);
        assertThat(e.at()).isEqualTo(TEN.plusSeconds(600));
        assertThat(e.limitedBy()).isEqualTo(Limit.RATE);
    }

    @Test
    void a_spent_hour_waits_for_the_next_and_each_hour_sends_its_limit() {
        // 250 left, 100 an hour, this hour's 100 already used: 11:00 +100, 12:00 +100, 13:00 +50 at 1,000 a minute.
        FinishEstimate e = FinishEstimate.of(250, 1_000, 100, 100, null, UTC, TEN.plusSeconds(600));
        assertThat(e.at()).isEqualTo(Instant.parse("2026-12-03T13:00:03Z"));
        assertThat(e.limitedBy()).isEqualTo(Limit.HOURLY_LIMIT);
    }

    @Test
    void outside_the_window_it_starts_at_the_next_opening_in_the_sender_s_zone() {
        ZoneId moscow = ZoneId.of("Europe/Moscow");
        SendWindow nineToSix = new SendWindow(LocalTime.of(9, 0), LocalTime.of(18, 0), moscow, Set.of());
        Instant evening = Instant.parse("2026-12-03T16:00:00Z"); // 19:00 in Moscow: closed until 09:00 = 06:00Z
        FinishEstimate e = FinishEstimate.of(60, 60, 10_000, 0, nineToSix, moscow, evening);
        assertThat(e.at()).isEqualTo(Instant.parse("2026-12-04T06:01:00Z"));
        assertThat(e.limitedBy()).isEqualTo(Limit.WINDOW);
    }

    @Test
    void nothing_to_estimate_without_a_rate_and_done_when_nothing_remains() {
        assertThat(FinishEstimate.of(10, 0, 100, 0, null, UTC, TEN)).isNull();
        assertThat(FinishEstimate.of(0, 0, 100, 0, null, UTC, TEN).at()).isEqualTo(TEN);
    }
}
