package dev.mailroom.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.db.redis.RedisLiveEvents;
import dev.mailroom.web.TestApp;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every page of the console over realistic data, at 1280×800 and on a 390×844 phone: screenshots go to
 * target/screenshots/, and the browser console must stay free of errors throughout.
 */
class ConsolePagesTest extends ConsoleTestBase {

    @Test
    void walks_every_page_without_browser_console_errors_and_saves_screenshots() {
        long november = seedRealistic().november();
        browser.signIn(admin);

        browser.go("/campaigns");
        browser.await("#campaign-table tbody tr");
        assertThat(browser.all("#campaign-table tbody tr")).hasSize(7);
        browser.screenshot("campaigns");

        browser.go("/campaigns?status=deferred");
        browser.awaitText("#campaign-table tbody", "Black Friday preview");
        assertThat(browser.all("#campaign-table tbody tr")).hasSize(1);

        browser.go("/campaigns/new");
        browser.type("#c-name", "Winter sale");
        browser.type("#c-subject", "{{name}}, the winter sale starts Friday");
        browser.type("#recipients-paste", "email,name,plan\nann@example.com,Ann,pro\nbob@example.com,Bob,free\nnot-an-address,Carl,free\n");
        browser.awaitText("#recipients-summary", "3 rows to add");
        browser.awaitText("#preview-subject", "Ann, the winter sale starts Friday");
        browser.js("window.scrollTo(0, 0);");
        browser.screenshot("new-campaign");
        browser.js("document.getElementById('recipients-card').scrollIntoView();");
        browser.screenshot("new-campaign-recipients");

        browser.go("/campaigns/" + november);
        browser.await("dialog [data-confirm]").click(); // leave the unsaved form
        browser.await("#progress-card [data-stat=sent]");
        browser.awaitText("[data-stat=sent]", "131");
        new Simulated(dsl()).settle(november, 12, "sent");
        new RedisLiveEvents(TestApp.redis()).publish(november, "batch", Map.of("size", 12, "sent", 12, "failed", 0));
        browser.awaitText("[data-stat=sent]", "143");
        browser.awaitText("#live-mode", "Live");
        browser.screenshot("campaign");
        browser.find("#recipient-table tbody tr[data-recipient-id]").click();
        browser.await("[data-timeline] li");
        browser.js("document.getElementById('recipients-card').scrollIntoView();");
        browser.screenshot("campaign-recipients");

        browser.go("/ops");
        browser.await("[data-sender-card]");
        browser.awaitText("#ops-grid", "November news");
        browser.screenshot("ops");

        browser.go("/senders");
        browser.await("#sender-table tbody tr");
        browser.screenshot("senders");

        browser.find("#sender-table tbody tr a").click();
        browser.await("#sender-form");
        browser.screenshot("sender-edit");

        browser.go("/suppressions");
        browser.await("#suppression-table tbody tr");
        browser.screenshot("suppressions");

        browser.size(390, 844);
        browser.go("/campaigns");
        browser.await("#campaign-table tbody tr");
        browser.screenshot("campaigns-narrow");
        browser.go("/campaigns/" + november);
        browser.await("#progress-card [data-stat=sent]");
        browser.screenshot("campaign-narrow");

        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }

    @Test
    void shows_the_sign_in_page_and_the_empty_states() {
        browser.open("");
        browser.await("#signin-form");
        browser.screenshot("sign-in");
        browser.signIn(operator);
        browser.await("#main .empty");
        assertThat(browser.find("#main").getText()).contains("No campaigns yet");
        browser.screenshot("campaigns-empty");
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }
}
