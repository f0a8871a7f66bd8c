package dev.mailroom.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Every page at 1280 px (a laptop) and 390 px (a phone): nothing is clipped or pushed off-screen, the page never
 * scrolls sideways, a table either fits or scrolls visibly in its own frame, and at phone width the navigation
 * sits behind a menu button that works from the keyboard. Screenshots of each page at both widths go to
 * target/screenshots/PAGE-1280.png and PAGE-390.png.
 */
class ConsoleLayoutTest extends ConsoleTestBase {
    /**
     * What is cut off: the page wider than the viewport, or an element whose content is wider than its box while the
     * box hides the rest (overflow hidden/clip, or a scroll bar styled away). A table frame that scrolls with a visible
     * scroll bar and says so (data-overflow) is fine, and so is text shortened on purpose with its full text in title,
     * text for screen readers only, and the body of a closed disclosure.
     */
    static final String CLIPPED = """
            const out = [];
            const describe = el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string'
              ? '.' + el.className.trim().split(/\\s+/).join('.') : ''} "${(el.textContent || '').trim().slice(0, 40)}"`;
            if (document.documentElement.scrollWidth > window.innerWidth + 1) {
              out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px in a ${window.innerWidth}px window`);
            }
            for (const el of document.querySelectorAll('body *')) {
              if (el instanceof SVGElement || ['INPUT', 'TEXTAREA', 'SELECT', 'OPTION', 'IFRAME'].includes(el.tagName)) continue;
              if (el.closest('.sr-only, details:not([open]) > :not(summary)')) continue; // hidden on purpose
              const r = el.getBoundingClientRect();
              if (!r.width || !r.height || el.scrollWidth <= el.clientWidth + 1) continue;
              const cs = getComputedStyle(el);
              if (cs.overflowX === 'visible') continue;
              if (el.matches('.table-wrap[data-overflow]') && cs.overflowX === 'auto') continue;
              if (el.title && el.title === el.textContent.trim()) continue;
              out.push(`${describe(el)} shows ${el.clientWidth}px of ${el.scrollWidth}px`);
            }
            return out;""";

    private final List<String> clipped = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private void check(String page, int width) {
        for (Object s : (List<Object>) browser.js(CLIPPED)) clipped.add(page + " at " + width + " px: " + s);
    }

    /** Checks the page at both widths and takes its two screenshots. */
    private void page(String name, String hash, String ready) {
        if (hash != null) browser.go(hash);
        browser.await(ready);
        browser.size(1280, 800);
        browser.await(ready);
        check(name, 1280);
        browser.size(390, 844);
        browser.await(ready);
        check(name, 390);
        browser.screenshots(name);
    }

    @Test
    void every_page_fits_a_laptop_and_a_phone_with_tables_that_fit_or_scroll_visibly() {
        Seeded s = seedRealistic();
        browser.open("");
        page("sign-in", null, "#signin-form");
        browser.signIn(admin);
        page("campaigns", "/campaigns", "#campaign-table tbody tr");
        page("new-campaign", "/campaigns/new", "#c-name");
        page("campaign", "/campaigns/" + s.november(), "#recipient-table tbody tr");
        page("ops", "/ops", "[data-queue-campaign]");
        page("senders", "/senders", "#sender-table tbody tr");
        page("sender-edit", "/senders/" + s.mainSender(), "#sender-form");
        page("suppressions", "/suppressions", "#suppression-table tbody tr");
        page("audit", "/audit", "#audit-table tbody tr");
        browser.go("/api?op=getReputation"); // an operation open: its field tables at both widths
        page("api-reference", null, "details.op[open] [data-fields]");
        page("keys", "/keys", "#key-table tbody tr");
        assertThat(clipped).as("clipped or hidden content").isEmpty();

        // A laptop sees every column of the campaign list without scrolling.
        browser.size(1280, 800);
        browser.go("/campaigns");
        browser.await("#campaign-table tbody tr");
        assertThat(browser.js("const w = document.querySelector('#campaign-table').closest('.table-wrap');"
                + " return w.scrollWidth <= w.clientWidth;")).as("the campaign table fits at 1280 px").isEqualTo(true);
        assertThat(browser.all("#menu-button").stream().filter(WebElement::isDisplayed)).as("no menu button on a laptop").isEmpty();
        assertThat(browser.find("[data-nav='suppressions']").isDisplayed()).isTrue();
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }

    private boolean expanded() {
        return "true".equals(browser.find("#menu-button").getDomAttribute("aria-expanded"));
    }

    private String focused() {
        return (String) browser.js("const a = document.activeElement; return a.dataset.nav || a.id || a.tagName;");
    }

    @Test
    void at_phone_width_the_navigation_opens_from_a_menu_button_by_keyboard_and_by_touch() {
        createSender("Main newsletter", "news@shop.example", null, 1000);
        browser.signIn(admin);
        browser.size(390, 844);
        browser.go("/campaigns");
        WebElement menu = browser.await("#menu-button");
        assertThat(expanded()).isFalse();
        assertThat(browser.find("[data-nav='senders']").isDisplayed()).as("the navigation is folded away").isFalse();

        menu.sendKeys(Keys.ENTER);
        browser.awaitTrue("return document.getElementById('menu-button').getAttribute('aria-expanded') === 'true';",
                Duration.ofSeconds(5));
        assertThat(focused()).as("focus moves into the menu").isEqualTo("campaigns");
        assertThat(browser.js("""
                return [...document.querySelectorAll('.nav a')].filter(a => { const r = a.getBoundingClientRect();
                  return !(r.width > 0 && r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight); })
                  .map(a => a.dataset.nav);""")).as("links not fully on screen").isEqualTo(List.of());
        browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
        assertThat(focused()).isEqualTo("new");
        browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        assertThat(expanded()).isFalse();
        assertThat(focused()).as("Escape gives focus back to the button").isEqualTo("menu-button");

        menu.click();
        browser.await("[data-nav='suppressions']").click();
        browser.awaitTrue("return location.hash === '#/suppressions';", Duration.ofSeconds(5));
        assertThat(expanded()).as("following a link closes the menu").isFalse();
        assertThat(browser.find("[data-nav='suppressions']").isDisplayed()).isFalse();
        browser.screenshot("menu-closed-390");
        menu.click();
        browser.await("[data-nav='senders']");
        browser.screenshot("menu-open-390");
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }
}
