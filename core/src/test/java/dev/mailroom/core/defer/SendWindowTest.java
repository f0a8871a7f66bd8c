package dev.mailroom.core.defer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SendWindowTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    private static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

    private static SendWindow window(String start, String end, ZoneId zone, Set<DayOfWeek> days) {
        return new SendWindow(LocalTime.parse(start), LocalTime.parse(end), zone, days);
    }

    private static Instant at(String utc) {
        return Instant.parse(utc);
    }

    @Test
    void is_open_from_its_start_inclusive_to_its_end_exclusive_in_the_senders_zone() {
        SendWindow w = window("09:00", "17:00", BERLIN, null); // CEST in June: UTC+2
        assertThat(w.isOpen(at("2024-06-12T06:59:59Z"))).isFalse();
        assertThat(w.isOpen(at("2024-06-12T07:00:00Z"))).isTrue();
        assertThat(w.isOpen(at("2024-06-12T14:59:59Z"))).isTrue();
        assertThat(w.isOpen(at("2024-06-12T15:00:00Z"))).isFalse();
        assertThat(w.nextOpen(at("2024-06-12T10:00:00Z"))).isEqualTo(at("2024-06-12T10:00:00Z"));
        assertThat(w.nextOpen(at("2024-06-12T16:00:00Z"))).isEqualTo(at("2024-06-13T07:00:00Z"));
        assertThat(w.nextOpen(at("2024-06-12T05:00:00Z"))).isEqualTo(at("2024-06-12T07:00:00Z"));
    }

    @Test
    void a_window_whose_end_is_before_its_start_spans_midnight() {
        SendWindow w = window("22:00", "06:00", BERLIN, null);
        assertThat(w.isOpen(at("2024-06-12T21:00:00Z"))).isTrue();  // 23:00 local
        assertThat(w.isOpen(at("2024-06-13T01:00:00Z"))).isTrue();  // 03:00 local
        assertThat(w.isOpen(at("2024-06-13T04:00:00Z"))).isFalse(); // 06:00 local: closed
        assertThat(w.isOpen(at("2024-06-12T19:59:00Z"))).isFalse(); // 21:59 local
        assertThat(w.nextOpen(at("2024-06-13T05:00:00Z"))).isEqualTo(at("2024-06-13T20:00:00Z"));
    }

    @Test
    void days_name_the_weekday_a_window_opens_on_even_when_it_closes_the_next_day() {
        SendWindow fridayNights = window("22:00", "06:00", BERLIN, EnumSet.of(DayOfWeek.FRIDAY));
        assertThat(fridayNights.isOpen(at("2024-06-15T01:00:00Z"))).isTrue();  // Sat 03:00, opened Friday
        assertThat(fridayNights.isOpen(at("2024-06-15T21:00:00Z"))).isFalse(); // Sat 23:00
        assertThat(fridayNights.nextOpen(at("2024-06-15T21:00:00Z"))).isEqualTo(at("2024-06-21T20:00:00Z"));
    }

    @Test
    void weekdays_only_is_closed_on_the_weekend_and_next_opens_on_monday() {
        SendWindow w = window("09:00", "17:00", BERLIN, WEEKDAYS);
        assertThat(w.isOpen(at("2024-06-15T10:00:00Z"))).isFalse(); // Saturday noon
        assertThat(w.isOpen(at("2024-06-16T10:00:00Z"))).isFalse(); // Sunday noon
        assertThat(w.nextOpen(at("2024-06-14T16:00:00Z"))).isEqualTo(at("2024-06-17T07:00:00Z")); // Fri 18:00 -> Mon 09:00
        assertThat(w.nextOpen(at("2024-06-16T10:00:00Z"))).isEqualTo(at("2024-06-17T07:00:00Z"));
    }

    @Test
    void next_open_across_the_spring_forward_weekend_uses_the_new_offset() {
        SendWindow w = window("09:00", "17:00", BERLIN, null);
        // Saturday 30 March 2024 is still CET (UTC+1); Sunday 31 March 09:00 is CEST (UTC+2).
        assertThat(w.nextOpen(at("2024-03-30T17:00:00Z"))).isEqualTo(at("2024-03-31T07:00:00Z"));
        assertThat(w.isOpen(at("2024-03-31T07:30:00Z"))).isTrue();
        assertThat(w.isOpen(at("2024-03-31T15:00:00Z"))).isFalse(); // 17:00 CEST
    }

    @Test
    void a_start_inside_the_spring_forward_gap_opens_at_the_first_valid_instant_after_it() {
        // Berlin jumps from 02:00 to 03:00 on 31 March 2024; 02:30 does not exist that day.
        SendWindow w = window("02:30", "05:00", BERLIN, null);
        assertThat(w.nextOpen(at("2024-03-30T23:00:00Z"))).isEqualTo(at("2024-03-31T01:00:00Z")); // 03:00 CEST
        assertThat(w.isOpen(at("2024-03-31T01:10:00Z"))).isTrue(); // 03:10 CEST
        // New York jumps from 02:00 to 03:00 on 10 March 2024.
        SendWindow ny = window("02:30", "04:00", NEW_YORK, null);
        assertThat(ny.nextOpen(at("2024-03-10T05:00:00Z"))).isEqualTo(at("2024-03-10T07:00:00Z")); // 03:00 EDT
    }

    @Test
    void a_window_across_the_fall_back_night_stays_open_through_the_repeated_hour() {
        // Berlin falls back from 03:00 CEST to 02:00 CET on 27 October 2024: 00:00-06:00 lasts seven hours.
        SendWindow w = window("00:00", "06:00", BERLIN, null);
        assertThat(w.isOpen(at("2024-10-26T22:00:00Z"))).isTrue();  // 00:00 CEST
        assertThat(w.isOpen(at("2024-10-27T00:30:00Z"))).isTrue();  // 02:30 CEST, first time
        assertThat(w.isOpen(at("2024-10-27T01:30:00Z"))).isTrue();  // 02:30 CET, second time
        assertThat(w.isOpen(at("2024-10-27T04:59:00Z"))).isTrue();  // 05:59 CET
        assertThat(w.isOpen(at("2024-10-27T05:00:00Z"))).isFalse(); // 06:00 CET
        SendWindow office = window("09:00", "17:00", NEW_YORK, WEEKDAYS);
        // Fri 1 Nov 2024 18:00 EDT -> Mon 4 Nov 09:00 EST (New York fell back on Sunday 3 November).
        assertThat(office.nextOpen(at("2024-11-01T22:00:00Z"))).isEqualTo(at("2024-11-04T14:00:00Z"));
    }

    @Test
    void a_sender_in_moscow_follows_moscow_time_all_year() {
        SendWindow w = window("09:00", "18:00", MOSCOW, null); // UTC+3, no DST
        assertThat(w.isOpen(at("2024-06-12T06:30:00Z"))).isTrue();
        assertThat(w.isOpen(at("2024-06-12T15:30:00Z"))).isFalse();
        assertThat(w.nextOpen(at("2024-06-12T15:30:00Z"))).isEqualTo(at("2024-06-13T06:00:00Z"));
        // Berlin's DST night changes nothing in Moscow.
        assertThat(w.nextOpen(at("2024-03-31T00:00:00Z"))).isEqualTo(at("2024-03-31T06:00:00Z"));
        assertThat(w.nextOpen(at("2024-12-20T16:00:00Z"))).isEqualTo(at("2024-12-21T06:00:00Z"));
    }
}
