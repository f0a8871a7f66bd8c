package dev.mailroom.web.console;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.DELIVERY_ATTEMPT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WindowType;

/**
 * The campaign page as a marketer's daily tool: a wait that a sender change ended leaves the open page without a
 * reload, and the progress section tells what the workers really sent — per minute over the campaign's life, and
 * when it may finish — however long anybody watched (the worker's writes simulated in SQL).
 */
class ConsoleCampaignStateTest extends ConsoleTestBase {
    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    @Test
    void widening_the_sender_s_window_on_the_senders_page_ends_the_wait_shown_on_an_open_campaign_page() {
        long sender = createSender("Main newsletter", "news@shop.example", moscowOfficeHours(), 500);
        long campaign = createCampaign(sender, "November news", "Hello {{name}}", 20);
        lifecycle(campaign, "queue");
        new Simulated(dsl()).deferred(campaign, "outside_hours", nextNineInMoscow());

        browser.signIn(admin);
        browser.go("/campaigns/" + campaign);
        browser.awaitText("#defer-sentence", "resumes");
        assertThat(browser.find("#defer-sentence").getText()).contains("Outside the sender's sending hours", "09:00 Moscow time");
        browser.awaitText("#live-mode", "Live");
        String campaignTab = browser.driver.getWindowHandle();

        // The same person, in a second tab, opens the sender and widens its window to the whole day, every day.
        browser.driver.switchTo().newWindow(WindowType.TAB);
        browser.signIn(admin);
        browser.go("/senders/" + sender);
        browser.await("#sender-form");
        browser.js("document.querySelector(\"[name='window.start']\").value = '00:00';"
                + "document.querySelector(\"[name='window.end']\").value = '23:59';"
                + "document.querySelectorAll('[data-day]').forEach(c => { c.checked = true; });");
        browser.find("#save-sender").click();
        browser.await("#sender-table");
        assertThat(dsl().fetchValue(CAMPAIGN_QUEUE.STATUS, CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaign)))
                .as("the API re-evaluated the waiting campaign").isEqualTo("queued");
        browser.driver.close();

        // Back on the campaign page, never reloaded: the stale "resumes at 09:00" is gone. Its own re-read while live
        // comes every 15 s; the sender change must reach it sooner, through the live stream.
        browser.driver.switchTo().window(campaignTab);
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, Duration.ofSeconds(8)).until(d ->
                browser.find("#campaign-status").getAttribute("data-status").equals("queued"));
        assertThat(browser.find("#status-line").getText()).contains("Queued").doesNotContain("Outside the sender's sending hours");
        assertThat(browser.all("#defer-sentence")).isEmpty();
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }

    /**
     * Seen failing before: the chart counted only while the page was open (empty here: nobody watched), and the
     * summary divided the counters by the time since the start.
     */
    @Test
    void the_progress_section_charts_what_was_sent_over_the_campaign_s_life_and_the_finish_the_hourly_limit_allows() {
        long sender = createSender("Main newsletter", "news@shop.example", null, 100);
        call("PATCH", "/api/senders/" + sender, admin, Map.of("quota_timezone", "Europe/Moscow"));
        long campaign = createCampaign(sender, "November news", "Hello {{name}}", 300);
        lifecycle(campaign, "queue");
        dsl().update(CAMPAIGN).set(CAMPAIGN.CREATED_AT, OffsetDateTime.now().minusMinutes(45)).where(CAMPAIGN.ID.eq(campaign)).execute();
        new Simulated(dsl()).settle(campaign, 60, "sent").settle(campaign, 2, "failed").processing(campaign);
        // As workers recorded them: 30 sent 31 minutes ago, 30 sent and 2 failed 30 minutes ago.
        attemptsAgo(campaign, "sent", 30, 31);
        attemptsAgo(campaign, "sent", 30, 30);
        attemptsAgo(campaign, "failed", 2, 30);
        dsl().update(CAMPAIGN_QUEUE).set(CAMPAIGN_QUEUE.STARTED_AT, OffsetDateTime.now().minusMinutes(32))
                .where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(campaign)).execute();

        browser.signIn(viewer);
        browser.go("/campaigns/" + campaign);
        browser.await("#rate-chart svg");
        assertThat(browser.find("#rate-chart svg").getAttribute("data-bars")).as("two minutes with sends").isEqualTo("2");
        assertThat(browser.find("#rate-summary").getText()).startsWith("≈ 30 per minute").contains("over 2 min of sending (60 sent)");
        browser.await("#eta");
        assertThat(browser.find("#eta").getAttribute("data-limited-by")).isEqualTo("hourly_limit");
        assertThat(browser.find("#eta").getText()).contains("Estimated finish", "Moscow time", "238 to go",
                "held back by the sender's hourly limit of 100");
        assertThat(browser.find("#progress-card").getText() + browser.find("#rate-chart").getText())
                .doesNotContain("while this page is open");
        browser.js("document.getElementById('progress-card').scrollIntoView();");
        browser.screenshot("campaign-rates");
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }

    /** Seen failing before: a 9-second campaign read "≈ 150 per minute on average since it started 35 min ago". */
    @Test
    void a_short_finished_campaign_shows_its_rate_while_it_sent_and_no_estimate() {
        long sender = createSender("Transactional", "hello@shop.example", null, 2000);
        long campaign = createCampaign(sender, "Welcome", "Welcome, {{name}}", 150);
        lifecycle(campaign, "queue");
        dsl().update(CAMPAIGN).set(CAMPAIGN.CREATED_AT, OffsetDateTime.now().minusMinutes(40)).where(CAMPAIGN.ID.eq(campaign)).execute();
        new Simulated(dsl()).settle(campaign, 150, "sent").finished(campaign, "sent");
        dsl().execute("update delivery_attempt set attempted_at = date_trunc('minute', now()) - interval '35 minutes' "
                + "+ (id % 9) * interval '1 second' where campaign_id = ?", campaign);

        browser.signIn(viewer);
        browser.go("/campaigns/" + campaign);
        browser.await("#rate-chart svg");
        assertThat(browser.find("#rate-summary").getText()).isEqualTo("≈ 150 per minute over 1 min of sending (150 sent)");
        assertThat(browser.find("#rate-chart svg").getAttribute("data-bars")).isEqualTo("1");
        assertThat(browser.all("#eta")).as("finished: nothing to estimate").isEmpty();
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }

    private static OffsetDateTime nextNineInMoscow() {
        ZonedDateTime now = ZonedDateTime.now(MOSCOW);
        ZonedDateTime nine = now.toLocalDate().atTime(9, 0).atZone(MOSCOW);
        return (nine.isAfter(now) ? nine : nine.plusDays(1)).toOffsetDateTime();
    }

    /** Moves {@code n} of the campaign's attempts with this outcome (not moved yet) to {@code minutes} ago. */
    private static void attemptsAgo(long campaign, String outcome, int n, int minutes) {
        List<Long> ids = dsl().select(DELIVERY_ATTEMPT.ID).from(DELIVERY_ATTEMPT)
                .where(DELIVERY_ATTEMPT.CAMPAIGN_ID.eq(campaign), DELIVERY_ATTEMPT.OUTCOME.eq(outcome),
                        DELIVERY_ATTEMPT.ATTEMPTED_AT.gt(OffsetDateTime.now().minusMinutes(5)))
                .orderBy(DELIVERY_ATTEMPT.ID).limit(n).fetch(DELIVERY_ATTEMPT.ID);
        OffsetDateTime at = OffsetDateTime.now().minusMinutes(minutes).withSecond(5).withNano(0);
        dsl().update(DELIVERY_ATTEMPT).set(DELIVERY_ATTEMPT.ATTEMPTED_AT, at).where(DELIVERY_ATTEMPT.ID.in(ids)).execute();
    }
}
