package dev.mailroom.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Moving on while a page still loads: the page that finishes late must not take over the one now shown. */
class ConsoleNavigationTest extends ConsoleTestBase {

    @AfterEach
    void fastAgain() {
        browser.latency(0);
    }

    @Test
    void a_page_that_finishes_loading_after_the_person_moved_on_stays_out_of_sight() {
        createSender("Main newsletter", "news@shop.example", null, 1000);
        call("POST", "/api/suppressions", operator, java.util.Map.of("email", "gone@example.com", "reason", "manual"));
        browser.signIn(admin);
        browser.go("/ops");
        browser.await("[data-sender-card]");
        browser.js("performance.clearResourceTimings();");

        browser.latency(1500);
        browser.go("/senders"); // its list arrives in 1.5 s, and only then does the view fill the page…
        browser.go("/suppressions"); // …the person does not wait for it
        browser.latency(0);
        browser.awaitTrue("return performance.getEntriesByType('resource').some(e => e.name.endsWith('/api/senders'));",
                Duration.ofSeconds(15));
        browser.await("#suppression-table tr[data-email='gone@example.com']");
        browser.js("return new Promise(r => setTimeout(r, 200));"); // the senders view's own code after its answer
        assertThat(browser.all("#sender-table")).as("the late senders list").isEmpty();
        assertThat(browser.find("#main h1").getText()).isEqualTo("Suppressions");
        assertThat(browser.driver.getTitle()).isEqualTo("Suppressions · Mailroom");
    }
}
