package dev.mailroom.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.db.redis.RedisLiveEvents;
import dev.mailroom.web.TestApp;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every page of the console over realistic data, at 1280×800 and on a 390×844 phone: screenshots go to
 * target/screenshots/, and the browser console must stay free of errors throughout.
 */
class ConsolePagesTest extends ConsoleTestBase {

    private long seed() {
        Simulated sim = new Simulated(dsl());
        long main = createSender("Main newsletter", "news@shop.example", moscowOfficeHours(), 500);
        long tx = createSender("Transactional", "hello@shop.example", null, 2000);

        long welcome = createCampaign(tx, "Welcome series — step 1", "Welcome aboard, {{name}}", 40);
        lifecycle(welcome, "queue");
        sim.settle(welcome, 40, "sent").finished(welcome, "sent");

        long october = createCampaign(main, "October digest", "What happened in October", 60);
        lifecycle(october, "queue");
        sim.settle(october, 55, "sent").settle(october, 4, "failed").settle(october, 1, "uncertain")
                .finished(october, "completed_with_errors");

        long november = createCampaign(main, "November news", "Hello {{name}}, November is here", 240);
        lifecycle(november, "queue");
        sim.settle(november, 131, "sent").settle(november, 3, "failed").settle(november, 1, "uncertain")
                .earlierTransientAttempt(november).processing(november);

        long friday = createCampaign(main, "Black Friday preview", "{{name}}, early access starts now", 120);
        lifecycle(friday, "queue");
        sim.deferred(friday, "rate_hour", OffsetDateTime.now().truncatedTo(ChronoUnit.HOURS).plusHours(1));

        long promo = createCampaign(tx, "Spring promo (on hold)", "Spring is coming", 30);
        lifecycle(promo, "queue");
        lifecycle(promo, "pause");

        long next = createCampaign(tx, "Order follow-up", "How was your order, {{name}}?", 25);
        lifecycle(next, "queue");

        createCampaign(main, "December plans", "Plans for December", 12);

        call("POST", "/api/suppressions", operator, Map.of("email", "bounced@example.com", "reason", "hard_bounce"));
        call("POST", "/api/suppressions", operator, Map.of("email", "angry@example.com", "reason", "complaint"));
        call("POST", "/api/suppressions", operator, Map.of("email", "left@example.com", "reason", "unsubscribe"));
        return november;
    }

    @Test
    void walks_every_page_without_browser_console_errors_and_saves_screenshots() {
        long november = seed();
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
