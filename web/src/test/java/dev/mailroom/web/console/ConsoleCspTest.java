package dev.mailroom.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.logging.LogEntry;

/**
 * The console works under its Content-Security-Policy ({@code default-src 'self'}): no page, dialog,
 * toast or preview sets an inline style or runs an inline script. Every violation is caught in the
 * browser (securitypolicyviolation events of the page and its preview frame, and the console log), and a
 * deliberate violation first proves that the policy is live and that the net catches it.
 */
class ConsoleCspTest extends ConsoleTestBase {
    /** Email HTML as people write it: inline styles and a style block, which the preview must still show. */
    private static final String STYLED_HTML = "<style>.cta { color: #0a7; }</style>"
            + "<p style=\"font-size: 20px; color: #c00\">Hi {{name}}</p><a class=\"cta\" href=\"https://shop.example\">Shop</a>"
            + "<img src=\"https://cdn.shop.example/logo.png\" alt=\"Logo\" width=\"40\" height=\"40\">";

    private final List<String> seen = new ArrayList<>();

    /** Collects this page's violations (events and console lines) under its name. */
    private void check(String page) {
        browser.cspViolations().forEach(v -> seen.add(page + ": " + v));
        for (LogEntry e : browser.severeLogs()) {
            if (e.getMessage().contains("Content Security Policy")) seen.add(page + ": " + e.getMessage());
        }
    }

    @Test
    void every_console_page_runs_without_a_content_security_policy_violation() {
        long sender = createSender("Main newsletter", "news@shop.example", moscowOfficeHours(), 500);
        Simulated sim = new Simulated(dsl());
        long november = createCampaign(sender, "November news", "Hello {{name}}", 60);
        lifecycle(november, "queue");
        sim.settle(november, 31, "sent").settle(november, 3, "failed").settle(november, 1, "uncertain")
                .earlierTransientAttempt(november).processing(november);
        long friday = createCampaign(sender, "Black Friday", "Early access", 20);
        lifecycle(friday, "queue");
        sim.deferred(friday, "rate_hour", OffsetDateTime.now().truncatedTo(ChronoUnit.HOURS).plusHours(1));
        call("POST", "/api/suppressions", operator, Map.of("email", "bounced@example.com", "reason", "hard_bounce"));

        browser.open("");
        browser.await("#signin-form");
        check("sign-in");
        browser.signIn(admin);
        check("sign-in submitted");

        // The net works: an inline style set now is refused and reported.
        browser.js("const d = document.createElement('div'); d.setAttribute('style', 'color: red'); document.body.append(d); d.remove();");
        browser.awaitTrue("return (window.__cspViolations || []).length > 0;", java.time.Duration.ofSeconds(5));
        assertThat(browser.cspViolations()).anyMatch(v -> v.startsWith("style-src"));
        browser.severeLogs();

        browser.go("/campaigns");
        browser.await("#campaign-table tbody tr .bar");
        check("campaigns");

        browser.go("/campaigns/" + november);
        browser.awaitText("[data-stat=sent]", "31");
        browser.find("#recipient-table tbody tr[data-recipient-id]").click();
        browser.await("[data-timeline] li");
        check("campaign");
        browser.find("[data-action=cancel]").click();
        browser.await("dialog [data-confirm]");
        check("confirm dialog");
        browser.find("dialog .btn:not([data-confirm])").click();

        browser.go("/campaigns/new");
        browser.type("#c-name", "Winter sale");
        browser.type("#c-subject", "{{name}}, the winter sale");
        browser.type("#c-html", STYLED_HTML);
        browser.type("#recipients-paste", "email,name,plan\nann@example.com,Ann,pro\nnot-an-address,Carl,free\n");
        browser.awaitText("#recipients-summary", "2 rows to add");
        browser.awaitText("#preview-subject", "Ann, the winter sale");
        browser.awaitTrue("const d = document.getElementById('preview-frame').contentDocument;"
                + " return !!d && !!d.querySelector('p') && d.querySelector('p').textContent === 'Hi Ann';", java.time.Duration.ofSeconds(10));
        // The preview keeps the template's own styles (applied through CSSOM, which the policy allows).
        assertThat(browser.js("const d = document.getElementById('preview-frame').contentDocument;"
                + " return [getComputedStyle(d.querySelector('p')).fontSize, getComputedStyle(d.querySelector('p')).color,"
                + " getComputedStyle(d.querySelector('a.cta')).color];"))
                .isEqualTo(List.of("20px", "rgb(204, 0, 0)", "rgb(0, 170, 119)"));
        check("new campaign with preview");

        browser.go("/ops");
        browser.await("dialog [data-confirm]");
        check("unsaved changes dialog");
        browser.find("dialog [data-confirm]").click();
        browser.awaitText("#ops-grid", "November news");
        check("ops");

        browser.go("/senders");
        browser.await("#sender-table tbody tr");
        check("senders");
        browser.find("#sender-table tbody tr a").click();
        browser.await("#sender-form");
        check("sender edit");
        browser.go("/senders/new");
        browser.await("#sender-form");
        check("new sender");

        browser.go("/suppressions");
        browser.await("#suppression-table tbody tr");
        check("suppressions");

        browser.size(390, 844);
        browser.go("/campaigns/" + november);
        browser.awaitText("[data-stat=sent]", "31");
        check("campaign, narrow");

        assertThat(seen).as("Content-Security-Policy violations").isEmpty();
    }
}
