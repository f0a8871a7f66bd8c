package dev.mailroom.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Orientation and accessibility: each view has its own page title, focus lands on its heading after navigation,
 * only changes that matter are live regions, every control has a label, and axe-core (run inside Chromium on
 * every page) finds no serious or critical violation. The session key survives a new tab until "Sign out".
 */
class ConsoleAccessibilityTest extends ConsoleTestBase {
    private final List<String> problems = new ArrayList<>();

    private void axe(String page) {
        browser.axeSeriousViolations().forEach(v -> problems.add(page + ": " + v));
    }

    /** Navigates as a person would (a link in the navigation, or the address bar), then checks title, focus and axe. */
    private void view(String page, String hash, String ready, String title) {
        browser.go(hash);
        browser.await(ready);
        browser.awaitTrue("const h = document.querySelector('#main h1');"
                + " return !!h && document.activeElement === h;", Duration.ofSeconds(10));
        String actual = browser.driver.getTitle();
        if (!actual.startsWith(title)) problems.add(page + ": the page title is \"" + actual + "\", not \"" + title + "…\"");
        axe(page);
    }

    @Test
    void every_page_has_its_title_focuses_its_heading_labels_its_controls_and_passes_axe() {
        Seeded s = seedRealistic();
        browser.open("");
        browser.await("#signin-form");
        assertThat(String.valueOf(browser.find("#api-key").getDomAttribute("placeholder")))
                .as("the admin key from MAILROOM_ADMIN_KEY need not look like a generated mr_ key").doesNotContain("mr_");
        assertThat(browser.driver.getTitle()).isEqualTo("Sign in · Mailroom");
        axe("sign-in");

        browser.signIn(admin);
        assertThat(browser.find("#app").getDomAttribute("aria-live")).as("the whole app is no live region").isNull();
        view("campaigns", "/campaigns", "#campaign-table tbody tr", "Campaigns · Mailroom");
        view("new campaign", "/campaigns/new", "#c-name", "New campaign · Mailroom");
        assertThat(browser.js("""
                return ['recipients-paste', 'recipients-file', 'preview-as'].filter(id => {
                  const el = document.getElementById(id);
                  return !(el.labels.length && el.labels[0].textContent.trim()) && !el.getAttribute('aria-label');
                });""")).as("recipient inputs without a label").isEqualTo(List.of());
        view("campaign", "/campaigns/" + s.november(), "#recipient-table tbody tr", "November news");
        assertThat(browser.js("return [...document.querySelectorAll('[data-stat], #rate-chart, #live-mode, #campaign-status')]"
                + ".filter(e => e.closest('[aria-live], [role=status], [role=alert], [role=log], [role=timer]')).map(e => e.outerHTML);"))
                .as("counters inside a live region").isEqualTo(List.of());
        view("campaign deferred", "/campaigns/" + s.friday(), "#defer-sentence", "Black Friday preview");
        view("ops", "/ops", "[data-queue-campaign]", "Ops dashboard · Mailroom");
        assertThat(browser.js("return [...document.querySelectorAll('#ops-grid [aria-live], #ops-grid [role=status], #ops-updated[aria-live]')].length;"))
                .as("live regions in the refreshing dashboard").isEqualTo(0L);
        view("senders", "/senders", "#sender-table tbody tr", "Senders · Mailroom");
        view("sender edit", "/senders/" + s.mainSender(), "#sender-form", "Edit Main newsletter · Mailroom");
        view("suppressions", "/suppressions", "#suppression-table tbody tr", "Suppressions · Mailroom");
        view("audit", "/audit", "#audit-table tbody tr", "Audit · Mailroom");
        view("API reference", "/api", ".tag-group details.op", "API reference · Mailroom");
        view("keys", "/keys", "#key-table tbody tr", "API keys · Mailroom");

        browser.size(390, 844);
        browser.go("/campaigns");
        browser.await("#menu-button").click();
        browser.await("[data-nav='ops']");
        axe("navigation open at 390 px");
        browser.size(1280, 800);

        assertThat(problems).as("accessibility problems").isEmpty();
    }

    @Test
    void a_new_tab_stays_signed_in_until_sign_out() {
        browser.signIn(operator);
        String first = browser.newTab("#/ops");
        try {
            browser.await(".shell #main h1");
            assertThat(browser.all("#signin-form")).as("a new tab asks for no key").isEmpty();
            assertThat(browser.find(".who-name").getText()).isEqualTo("Olga Operator");
            browser.find("#sign-out").click();
            browser.await("#signin-form");
        } finally {
            browser.driver.close();
            browser.driver.switchTo().window(first);
        }
        browser.open("#/campaigns");
        browser.await("#signin-form");
        assertThat(browser.js("return localStorage.getItem('mailroom.key');")).as("signing out forgets the key").isNull();
    }
}
