package dev.mailroom.web.console;

import static dev.mailroom.db.generated.Tables.AUDIT_EVENT;
import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;

/**
 * Drafts as a marketer works on them: the sender is chosen, never defaulted among several; unsaved work is
 * not lost to a click elsewhere, a hash change or closing the tab; a saved draft is edited (PATCH) until it
 * is queued; and queueing asks first, saying to how many, from whom and when it starts.
 */
class ConsoleDraftTest extends ConsoleTestBase {

    private void awaitStatus(String status) {
        browser.awaitTrue("var s = document.getElementById('campaign-status');"
                + " return !!s && s.dataset.status === '" + status + "';", Duration.ofSeconds(15));
    }

    private void awaitHash(String hash) {
        browser.awaitTrue("return location.hash === '" + hash + "';", Duration.ofSeconds(15));
    }

    private String openDialog() {
        return browser.await("dialog[open]").getText();
    }

    private void dismissDialog() {
        browser.find("dialog[open] button:not([data-confirm])").click();
        browser.awaitTrue("return !document.querySelector('dialog[open]');", Duration.ofSeconds(5));
    }

    /** What the browser does before closing or reloading the tab: true when the page asks to stay. */
    private boolean beforeUnloadIsCancelled() {
        return Boolean.TRUE.equals(browser.js("const e = new Event('beforeunload', {cancelable: true});"
                + " window.dispatchEvent(e); return e.defaultPrevented;"));
    }

    private String value(String css) {
        return browser.find(css).getDomProperty("value");
    }

    @Test
    void a_new_campaign_names_its_sender_explicitly_and_asks_before_unsaved_work_is_left() {
        createSender("Main", "news@shop.example", moscowOfficeHours(), 100);
        createSender("Transactional", "hello@shop.example", null, 2000);
        browser.signIn(operator);
        browser.go("/campaigns/new");
        browser.await("#c-sender");
        assertThat(value("#c-sender")).as("no sender is picked for the user among several").isEmpty();
        assertThat(browser.find("label[for=c-sender]").isDisplayed()).isTrue();

        browser.type("#c-name", "Winter sale");
        browser.type("#c-subject", "Hello {{name}}");
        browser.find(".nav a[data-nav=campaigns]").click();
        assertThat(openDialog()).contains("not saved");
        browser.screenshot("leave-unsaved-dialog");
        dismissDialog();
        awaitHash("#/campaigns/new");
        assertThat(value("#c-name")).isEqualTo("Winter sale");

        browser.go("/ops");
        assertThat(openDialog()).contains("not saved");
        dismissDialog();
        awaitHash("#/campaigns/new");
        assertThat(value("#c-subject")).isEqualTo("Hello {{name}}");

        // Closing or reloading the tab: the page asks the browser for its own "leave site?" question by cancelling
        // beforeunload. Headless Chromium reloads without showing that question, so the event is fired here.
        assertThat(beforeUnloadIsCancelled()).isTrue();

        browser.type("#recipients-paste", "email,name\nann@example.com,Ann\nbob@example.com,Bob\n");
        browser.find("#save-draft").click();
        browser.awaitText("#message-card [data-field=sender_id] .field-error", "Required");
        assertThat(dsl().fetchCount(CAMPAIGN)).as("nothing saved without a sender").isZero();

        new Select(browser.find("#c-sender")).selectByVisibleText("Transactional — hello@shop.example");
        browser.find("#save-draft").click();
        browser.awaitTrue("return /^#\\/campaigns\\/\\d+$/.test(location.hash);", Duration.ofSeconds(15));
        awaitStatus("draft");
        assertThat(browser.all("dialog[open]")).as("saved work leaves without a question").isEmpty();
        assertThat(beforeUnloadIsCancelled()).isFalse();
        browser.awaitText("[data-stat=total]", "2");
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }

    @Test
    void the_only_sender_is_preselected() {
        long only = createSender("Main", "news@shop.example", null, 100);
        browser.signIn(operator);
        browser.go("/campaigns/new");
        browser.await("#c-sender");
        assertThat(value("#c-sender")).isEqualTo(String.valueOf(only));
        browser.go("/campaigns");
        browser.await("#main .empty");
        assertThat(browser.all("dialog[open]")).as("an untouched form leaves without a question").isEmpty();
        assertThat(beforeUnloadIsCancelled()).isFalse();
    }

    @Test
    void edits_a_saved_draft_through_patch_until_it_is_queued() {
        long main = createSender("Main", "news@shop.example", moscowOfficeHours(), 100);
        long tx = createSender("Transactional", "hello@shop.example", null, 2000);
        long id = createCampaign(main, "November news", "Hello {{name}}", 3);
        browser.signIn(operator);
        browser.go("/campaigns/" + id);
        awaitStatus("draft");
        browser.awaitClickable("#edit-draft").click();
        awaitHash("#/campaigns/" + id + "/edit");
        browser.await("#c-name");
        browser.awaitTrue("return document.getElementById('c-name').value === 'November news';", Duration.ofSeconds(10));
        assertThat(value("#c-subject")).isEqualTo("Hello {{name}}");
        assertThat(value("#c-html")).isEqualTo("<p>Hi {{name}}, your {{vars.plan}} plan has news.</p>");
        assertThat(value("#c-text")).isEqualTo("Hi {{name}}");
        assertThat(value("#c-sender")).isEqualTo(String.valueOf(main));
        browser.awaitText("#preview-subject", "Hello Ann");
        browser.screenshot("draft-edit");

        browser.type("#c-subject", "{{name}}, December is here");
        browser.type("#c-html", "<p>December news for {{name}}</p>");
        new Select(browser.find("#c-sender")).selectByValue(String.valueOf(tx));
        browser.js("const i = document.getElementById('c-send-at'); i.value = arguments[0];"
                + " i.dispatchEvent(new Event('input', {bubbles: true}));", "2031-03-04T10:30");
        String sendAt = String.valueOf(browser.js("return new Date('2031-03-04T10:30').toISOString();"));
        browser.find("#save-draft").click();
        awaitHash("#/campaigns/" + id);
        browser.awaitText("#campaign-subject", "{{name}}, December is here");
        var row = dsl().selectFrom(CAMPAIGN).where(CAMPAIGN.ID.eq(id)).fetchOne();
        assertThat(row.getSubject()).isEqualTo("{{name}}, December is here");
        assertThat(row.getHtml()).isEqualTo("<p>December news for {{name}}</p>");
        assertThat(row.getBodyText()).isEqualTo("Hi {{name}}");
        assertThat(row.getSenderId()).isEqualTo(tx);
        assertThat(row.getSendAt().toInstant()).isEqualTo(Instant.parse(sendAt));
        assertThat(dsl().fetchCount(CAMPAIGN)).as("edited, not created again").isEqualTo(1);
        assertThat(dsl().fetchCount(AUDIT_EVENT, AUDIT_EVENT.ACTION.eq("campaign.edit"))).isEqualTo(1);

        // An edit left unsaved is asked about, and dropped when the user says so.
        browser.find("#edit-draft").click();
        browser.await("#c-name");
        browser.awaitTrue("return document.getElementById('c-name').value === 'November news';", Duration.ofSeconds(10));
        browser.type("#c-name", "Renamed");
        browser.find(".nav a[data-nav=campaigns]").click();
        assertThat(openDialog()).contains("not saved");
        browser.find("dialog[open] [data-confirm]").click();
        awaitHash("#/campaigns");
        assertThat(dsl().select(CAMPAIGN.NAME).from(CAMPAIGN).fetchOne(CAMPAIGN.NAME)).isEqualTo("November news");

        lifecycle(id, "queue");
        browser.go("/campaigns/" + id);
        awaitStatus("deferred");
        assertThat(browser.all("#edit-draft").stream().filter(e -> e.isDisplayed()).toList()).isEmpty();
        browser.go("/campaigns/" + id + "/edit");
        browser.awaitText("#main", "can no longer be changed");
        assertThat(browser.all("#c-name")).isEmpty();
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }

    @Test
    void queue_asks_first_naming_the_recipients_the_sender_and_when_it_starts() {
        // A window that is closed now: it opens two hours from now, Moscow time, every day.
        int opens = (OffsetDateTime.now(ZoneId.of("Europe/Moscow")).getHour() + 2) % 24;
        String start = String.format("%02d:00", opens);
        long main = createSender("Main", "news@shop.example",
                Map.of("start", start, "end", String.format("%02d:00", (opens + 1) % 24), "timezone", "Europe/Moscow",
                        "days", List.of()), 100);
        long id = createCampaign(main, "November news", "Hello {{name}}", 5);
        browser.signIn(operator);
        browser.go("/campaigns/" + id);
        awaitStatus("draft");
        browser.awaitClickable("[data-action=queue]").click();
        String text = openDialog();
        assertThat(text).contains("5 recipients").contains("Main").contains("news@shop.example")
                .contains(start + " Moscow time");
        browser.screenshot("queue-dialog");
        dismissDialog();
        awaitStatus("draft");
        assertThat(dsl().select(CAMPAIGN_QUEUE.STATUS).from(CAMPAIGN_QUEUE).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(id))
                .fetchOne(CAMPAIGN_QUEUE.STATUS)).as("nothing queued when the user says no").isEqualTo("draft");
        browser.awaitClickable("[data-action=queue]").click();
        openDialog();
        browser.find("dialog[open] [data-confirm]").click();
        awaitStatus("queued");

        // A scheduled one says its time, in the sender's zone (UTC for a sender without a window).
        long tx = createSender("Transactional", "hello@shop.example", null, 2000);
        long later = createCampaign(tx, "Spring promo", "Spring is coming", 2);
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).plusDays(3).withHour(10);
        call("PATCH", "/api/campaigns/" + later, operator, Map.of("send_at", at.toString()));
        browser.go("/campaigns/" + later);
        awaitStatus("draft");
        browser.awaitClickable("[data-action=queue]").click();
        assertThat(openDialog()).contains("2 recipients").contains("Transactional").contains("hello@shop.example")
                .contains("10:00 UTC").containsIgnoringCase("scheduled");
        browser.find("dialog[open] [data-confirm]").click();
        awaitStatus("deferred");
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }
}
