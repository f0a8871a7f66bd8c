package dev.mailroom.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One clock: every time on screen says its zone. Times that decide when mail goes out (why a campaign waits,
 * until when, a scheduled start) are in the sender's zone; everything else is in the viewer's zone, which is
 * the browser's unless the viewer picks another in the shell (remembered in this browser). The browser runs
 * in Berlin, the server in UTC, the sender keeps Moscow hours: three zones, none of them may go unsaid.
 */
class ConsoleClockTest extends ConsoleTestBase {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    /**
     * Every h:mm on the page must be followed by its zone ("Moscow time", "UTC"), a range's start by its end
     * ("09:00–18:00 Moscow time"); a chart's tick labels by the zone its accessible name gives. Returns the others in
     * their context.
     */
    static final String UNLABELED_TIMES = """
            const time = /\\b\\d{1,2}:\\d{2}(?::\\d{2})?\\b/g;
            const zone = /(?:UTC|[A-Z][\\w'.-]*(?: [A-Z][\\w'.-]*)* time)\\b/.source;
            const labelled = new RegExp(/^(?:\\s*[–-]\\s*\\d{1,2}:\\d{2})?\\s/.source + zone);
            const ticks = new Set([...document.querySelectorAll('svg[aria-label]')]
              .filter(svg => new RegExp(/\\b/.source + zone).test(svg.getAttribute('aria-label')))
              .flatMap(svg => [...svg.querySelectorAll('text')].map(t => t.textContent)));
            const text = document.body.innerText;
            const bad = [];
            for (let m = time.exec(text); m; m = time.exec(text)) {
              if (!labelled.test(text.slice(m.index + m[0].length)) && !ticks.has(m[0])) {
                bad.push(text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 25).replace(/\\s+/g, ' '));
              }
            }
            return bad;""";

    private final List<String> unlabeled = new ArrayList<>();

    @AfterEach
    void realZone() {
        browser.timeZone("");
    }

    @SuppressWarnings("unchecked")
    private void noUnlabeledTimes(String page) {
        for (Object s : (List<Object>) browser.js(UNLABELED_TIMES)) unlabeled.add(page + ": …" + s + "…");
    }

    private static String hhmm(String iso, ZoneId zone) {
        return Instant.parse(iso).atZone(zone).format(HH_MM);
    }

    @Test
    void every_time_says_its_zone_the_sender_s_where_sending_matters_and_the_viewer_s_elsewhere() {
        browser.timeZone("Europe/Berlin");
        Seeded seeded = seedRealistic();
        // Scheduled for the day after tomorrow, 07:30 UTC: 10:30 in Moscow, 08:30 or 09:30 in Berlin.
        String sendAt = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(2)).plus(Duration.ofMinutes(450)).toString();
        long spring = call("POST", "/api/campaigns", operator, Map.of("name", "Spring sale", "sender_id", seeded.mainSender(),
                "subject", "Spring", "text", "Hi", "send_at", sendAt, "recipients", List.of(Map.of("email", "ann@example.com"))))
                .get("id").asLong();
        lifecycle(spring, "queue");
        JsonNode november = call("GET", "/api/campaigns/" + seeded.november() + "/progress", viewer, null);
        JsonNode friday = call("GET", "/api/campaigns/" + seeded.friday() + "/progress", viewer, null);

        browser.signIn(admin);
        assertThat(browser.find("#zone-button").getText()).as("the shell says the viewer's zone").contains("Berlin time");

        browser.go("/campaigns");
        browser.await("#campaign-table tbody tr");
        noUnlabeledTimes("campaigns");

        browser.go("/campaigns/" + seeded.november());
        browser.awaitText("[data-stat=sent]", "131");
        assertThat(browser.find("#progress-card").getText()).as("when it started: the viewer's zone, and how long ago")
                .containsPattern("Started " + hhmm(november.get("started_at").asText(), BERLIN) + " Berlin time \\(1\\d min ago\\)");
        noUnlabeledTimes("campaign sending");

        browser.go("/campaigns/" + seeded.friday());
        browser.awaitText("#defer-sentence", "Waiting for the hourly limit");
        assertThat(browser.find("#status-line").getText()).as("why it waits: the sender's zone, the viewer's beside it, and how long")
                .contains("Waiting for the hourly limit — resumes").contains(hhmm(friday.get("deferred_until").asText(), MOSCOW) + " Moscow time (")
                .containsPattern(hhmm(friday.get("deferred_until").asText(), BERLIN) + " Berlin time, (in \\d+ min|just now)\\)");
        noUnlabeledTimes("campaign deferred");

        browser.go("/campaigns/" + spring);
        browser.awaitText("#scheduled-for", "Scheduled for");
        assertThat(browser.find("#scheduled-for").getText()).as("a scheduled start: the sender's zone, the viewer's beside it")
                .contains(hhmm(sendAt, MOSCOW) + " Moscow time (").contains(hhmm(sendAt, BERLIN) + " Berlin time, in ")
                .containsPattern("in [12] days?\\)");
        noUnlabeledTimes("campaign scheduled");

        browser.go("/ops");
        browser.awaitText("#ops-grid", "November news");
        assertThat(browser.find("[data-queue-campaign='" + seeded.friday() + "']").getText())
                .contains("next try").contains(hhmm(friday.get("deferred_until").asText(), MOSCOW) + " Moscow time (")
                .containsPattern("Berlin time, (in \\d+ min|just now)\\)");
        browser.awaitText("#ops-updated", "Berlin time");
        noUnlabeledTimes("ops");

        browser.go("/senders");
        browser.await("#sender-table tbody tr");
        noUnlabeledTimes("senders");
        assertThat(unlabeled).as("times without their zone").isEmpty();

        // The viewer switches to UTC: their own times follow, the sender's stay in Moscow; a reload keeps the choice.
        browser.find("#zone-button").click();
        browser.await("#zone-dialog input[value='UTC']").click();
        browser.find("#zone-save").click();
        browser.awaitText("#zone-button", "UTC");
        browser.open("#/ops");
        browser.awaitText("#ops-updated", "UTC");
        assertThat(browser.find("#zone-button").getText()).contains("UTC");
        assertThat(browser.find("#active-" + seeded.mainSender()).getText()).as("what happened: the viewer's zone").contains(" UTC (");
        assertThat(browser.find("[data-queue-campaign='" + seeded.friday() + "']").getText()).as("when it may send: the sender's")
                .contains(hhmm(friday.get("deferred_until").asText(), MOSCOW) + " Moscow time (")
                .contains(hhmm(friday.get("deferred_until").asText(), ZoneId.of("UTC")) + " UTC, ");
        noUnlabeledTimes("ops in UTC");
        browser.go("/campaigns");
        browser.await("#campaign-table tbody tr");
        noUnlabeledTimes("campaigns in UTC");
        assertThat(unlabeled).as("times without their zone").isEmpty();
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }
}
