package dev.mailroom.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The web process becomes unreachable under an open page: one banner says so, what is shown is greyed and marked
 * stale (for screen readers too), the live indicator stops claiming freshness, no error toast piles up per refresh,
 * and once the API answers again the banner goes and the page shows fresh numbers by itself.
 */
class ConsoleOfflineTest extends ConsoleTestBase {

    @AfterEach
    void online() {
        browser.offline(false);
    }

    @Test
    void the_ops_page_says_once_that_the_api_is_unreachable_greys_its_numbers_and_recovers_by_itself() {
        long sender = createSender("Main newsletter", "news@shop.example", null, 1000);
        long november = createCampaign(sender, "November news", "Hello {{name}}", 60);
        lifecycle(november, "queue");
        Simulated sim = new Simulated(dsl());
        sim.settle(november, 20, "sent").processing(november);

        browser.signIn(operator);
        browser.go("/ops");
        browser.awaitText("#active-" + sender, "20 sent");
        assertThat(browser.find("#ops-updated").getDomAttribute("class")).contains("on");
        assertThat(browser.all("#connection-banner")).isEmpty();

        browser.offline(true);
        browser.await("#connection-banner");
        assertThat(browser.find("#connection-banner").getText()).contains("cannot reach Mailroom");
        assertThat(browser.find("#connection-banner").getDomAttribute("role")).isEqualTo("alert");
        // Three more refreshes fail while the page stays open: still one banner, and no error toast for any of them.
        browser.awaitTrue("return Number(document.getElementById('connection-banner').dataset.failures) >= 4;", Duration.ofSeconds(40));
        assertThat(browser.all("#connection-banner")).hasSize(1);
        assertThat(browser.all("#toasts .toast")).as("toasts while offline").isEmpty();
        assertThat(browser.find("#main").getDomAttribute("class")).as("stale content is greyed").contains("stale");
        assertThat(browser.find("#main").getDomAttribute("aria-describedby")).as("and said to be stale").isEqualTo("connection-banner");
        assertThat(browser.find("#ops-updated").getDomAttribute("class")).as("no green dot over stale numbers").doesNotContain("on");
        assertThat(browser.find("#ops-updated").getText()).contains("Not updated since");
        browser.screenshot("ops-offline");

        sim.settle(november, 15, "sent");
        browser.offline(false);
        browser.awaitTrue("return !document.getElementById('connection-banner');", Duration.ofSeconds(30));
        browser.awaitText("#active-" + sender, "35 sent");
        assertThat(browser.find("#main").getDomAttribute("class")).doesNotContain("stale");
        assertThat(browser.find("#main").getDomAttribute("aria-describedby")).isNull();
        browser.awaitTrue("return document.getElementById('ops-updated').classList.contains('on');", Duration.ofSeconds(10));
        assertThat(browser.all("#toasts .toast.error")).isEmpty();
    }

    @Test
    void a_page_without_its_own_refresh_reloads_its_data_when_the_api_is_back_and_keeps_what_was_typed() {
        createSender("Main newsletter", "news@shop.example", null, 1000);
        browser.signIn(operator);
        browser.go("/suppressions");
        browser.awaitText("#main .empty", "No suppressed addresses");

        browser.offline(true);
        browser.find("#suppress-email").sendKeys("gone@example.com");
        browser.find("#suppress-add").click();
        browser.await("#connection-banner");
        assertThat(browser.all("#toasts .toast.error")).as("the banner is the one message").isEmpty();
        call("POST", "/api/suppressions", operator, java.util.Map.of("email", "late@example.com", "reason", "manual"));

        browser.offline(false);
        browser.awaitTrue("return !document.getElementById('connection-banner');", Duration.ofSeconds(30));
        browser.await("#suppression-table tr[data-email='late@example.com']");
        assertThat(browser.find("#suppress-email").getDomProperty("value")).as("what was typed stays").isEqualTo("gone@example.com");
        assertThat(browser.severeLogs().stream().filter(e -> !e.getMessage().contains("ERR_INTERNET_DISCONNECTED")).toList())
                .as("browser console errors").isEmpty();
    }
}
