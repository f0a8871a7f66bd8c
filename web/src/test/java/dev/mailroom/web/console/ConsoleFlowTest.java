package dev.mailroom.web.console;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.SENDER;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static dev.mailroom.db.generated.Tables.TEST_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.db.redis.RedisLiveEvents;
import dev.mailroom.web.TestApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** A person's paths through the console, in a real browser against the real web app. */
class ConsoleFlowTest extends ConsoleTestBase {

    private List<String> nav() {
        return browser.all(".nav a").stream().map(a -> a.getDomAttribute("data-nav")).toList();
    }

    private String status() {
        return browser.find("#campaign-status").getDomAttribute("data-status");
    }

    private void awaitStatus(String status) {
        browser.awaitTrue("var s = document.getElementById('campaign-status');"
                + " return !!s && s.dataset.status === '" + status + "';", Duration.ofSeconds(15));
    }

    private void assertNoConsoleErrors() {
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }

    @Test
    void signs_in_with_a_key_and_shows_only_what_the_role_allows() {
        long sender = createSender("Main", "news@shop.example", null, 100);
        long id = createCampaign(sender, "November news", "Hello {{name}}", 3);
        lifecycle(id, "queue");

        browser.open("");
        browser.type("#api-key", "mr_not-a-key");
        browser.find("#signin-form button[type=submit]").click();
        browser.awaitText("#signin-form .field-error", "not recognised");

        browser.signIn(viewer);
        assertThat(nav()).containsExactly("campaigns", "ops", "suppressions", "api");
        assertThat(browser.find(".who-name").getText()).isEqualTo("Victor Viewer");
        assertThat(String.valueOf(browser.js("return localStorage.getItem('mailroom.key');"))).isEqualTo(viewer);
        browser.go("/campaigns/" + id);
        browser.await("#progress-card");
        assertThat(browser.all("#campaign-actions")).isEmpty();
        assertThat(browser.all("#test-card")).isEmpty();
        assertThat(browser.find("#ctl-batch").isEnabled()).isFalse();
        browser.go("/suppressions");
        browser.await("#main .empty");
        assertThat(browser.all("#suppress-form")).isEmpty();
        browser.go("/senders");
        browser.awaitText("#main", "needs the admin role");

        browser.find("#sign-out").click();
        browser.await("#signin-form");
        assertThat(browser.js("return localStorage.getItem('mailroom.key');")).isNull();

        browser.signIn(operator);
        assertThat(nav()).containsExactly("campaigns", "new", "ops", "suppressions", "api");
        browser.find("#sign-out").click();
        browser.signIn(admin);
        assertThat(nav()).containsExactly("campaigns", "new", "ops", "senders", "suppressions", "audit", "keys", "api");
    }

    @Test
    void creates_and_queues_a_campaign_from_pasted_recipients_after_the_server_names_the_rejected_rows() {
        createSender("Main", "news@shop.example", moscowOfficeHours(), 100);
        browser.signIn(operator);
        browser.find("#new-campaign").click();
        browser.type("#c-name", "Winter sale");
        browser.type("#c-subject", "{{name}}, the {{vars.plan}} sale starts Friday");
        browser.type("#recipients-paste", "email,name,plan\nann@example.com,Ann,pro\nnot-an-address,Bob,free\ncarl@example.com,Carl,free\n");
        browser.awaitText("#recipients-summary", "3 rows to add");

        // The server judges the rows: the draft is saved, the list refused whole, the bad row named.
        browser.find("#save-queue").click();
        browser.awaitText("#csv-problems", "Line 3: email is not a valid email address");
        assertThat(browser.find("#csv-skip").getText()).isEqualTo("Import the 2 good rows, skip the 1 bad one");
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isZero();
        assertThat(dsl().select(CAMPAIGN_QUEUE.STATUS).from(CAMPAIGN_QUEUE).fetchOne(CAMPAIGN_QUEUE.STATUS)).isEqualTo("draft");

        browser.type("#recipients-paste", "email,name,plan\nann@example.com,Ann,pro\nbob@example.com,Bob,free\ncarl@example.com,Carl,free\n");
        browser.awaitTrue("return !document.getElementById('csv-problems');", Duration.ofSeconds(10));
        new Select(browser.find("#preview-as")).selectByVisibleText("Bob <bob@example.com>");
        browser.awaitText("#preview-subject", "Bob, the free sale starts Friday");
        browser.driver.switchTo().frame(browser.find("#preview-frame"));
        assertThat(browser.find("body").getText()).contains("Hello Bob,");
        browser.driver.switchTo().defaultContent();

        browser.find("#save-queue").click();
        assertThat(browser.await("dialog[open]").getText()).contains("3 recipients").contains("news@shop.example");
        browser.find("dialog[open] [data-confirm]").click();
        browser.awaitTrue("return /^#\\/campaigns\\/\\d+$/.test(location.hash);", Duration.ofSeconds(15));
        awaitStatus("queued");
        assertThat(dsl().fetchCount(CAMPAIGN)).as("the saved draft, queued").isEqualTo(1);
        long id = dsl().select(CAMPAIGN.ID).from(CAMPAIGN).fetchOne(CAMPAIGN.ID);
        assertThat(dsl().select(CAMPAIGN_QUEUE.STATUS).from(CAMPAIGN_QUEUE).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(id))
                .fetchOne(CAMPAIGN_QUEUE.STATUS)).isEqualTo("queued");
        assertThat(dsl().select(CAMPAIGN_RECIPIENT.EMAIL).from(CAMPAIGN_RECIPIENT).orderBy(CAMPAIGN_RECIPIENT.ID)
                .fetch(CAMPAIGN_RECIPIENT.EMAIL)).containsExactly("ann@example.com", "bob@example.com", "carl@example.com");
        assertThat(dsl().select(CAMPAIGN_RECIPIENT.VARS).from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.EMAIL.eq("ann@example.com")).fetchOne(CAMPAIGN_RECIPIENT.VARS)).contains("pro");
        browser.awaitText("[data-stat=total]", "3");
        assertThat(browser.find("#campaign-name").getText()).isEqualTo("Winter sale");
    }

    @Test
    void lists_the_rows_the_server_rejects_in_an_uploaded_csv_and_accepts_a_corrected_file(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        createSender("Main", "news@shop.example", null, 100);
        Path bad = Files.writeString(dir.resolve("bad.csv"), "email,name,city\nann@example.com,Ann,Kazan\nbob(at)example.com,Bob,Omsk\n,Nobody,Tver\n");
        Path good = Files.writeString(dir.resolve("good.csv"), "email,name,city\nann@example.com,Ann,Kazan\nbob@example.com,Bob,Omsk\n");
        browser.signIn(operator);
        browser.go("/campaigns/new");
        browser.type("#c-name", "City news");
        browser.type("#c-subject", "News from {{vars.city}}");
        browser.find("#recipients-card [data-tab=file]").click();
        browser.find("#recipients-file").sendKeys(bad.toString());
        browser.awaitText("#recipients-summary", "bad.csv");

        browser.find("#save-draft").click();
        browser.awaitText("#csv-problems", "Line 3");
        assertThat(browser.find("#csv-problems").getText()).contains("Line 4").contains("not a valid email address");
        assertThat(browser.find("#c-subject").isEnabled()).as("the saved draft's message stays editable").isTrue();
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isZero();

        browser.type("#c-subject", "City news from {{vars.city}}");
        browser.find("#recipients-file").sendKeys(good.toString());
        browser.awaitText("#recipients-summary", "good.csv");
        browser.find("#save-draft").click();
        awaitStatus("draft");
        assertThat(dsl().fetchCount(CAMPAIGN)).isEqualTo(1);
        assertThat(dsl().select(CAMPAIGN.SUBJECT).from(CAMPAIGN).fetchOne(CAMPAIGN.SUBJECT)).isEqualTo("City news from {{vars.city}}");
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isEqualTo(2);
        browser.awaitText("[data-stat=total]", "2");
    }

    @Test
    void pauses_resumes_retunes_and_cancels_a_campaign_with_buttons_enabled_per_status() {
        long sender = createSender("Main", "news@shop.example", moscowOfficeHours(), 100);
        long id = createCampaign(sender, "November news", "Hello {{name}}", 5);
        browser.signIn(operator);
        browser.go("/campaigns/" + id);
        awaitStatus("draft");
        assertThat(browser.find("[data-action=pause]").isEnabled()).isFalse();
        browser.find("[data-action=queue]").click();
        browser.await("dialog[open] [data-confirm]").click();
        awaitStatus("queued");

        WebElement pause = browser.awaitClickable("[data-action=pause]");
        assertThat(browser.find("[data-action=resume]").isEnabled()).isFalse();
        pause.click();
        awaitStatus("paused");
        browser.awaitText("#defer-sentence", "Paused by a person");
        assertThat(dsl().select(CAMPAIGN_QUEUE.STATUS).from(CAMPAIGN_QUEUE).fetchOne(CAMPAIGN_QUEUE.STATUS)).isEqualTo("paused");
        assertThat(browser.find("[data-action=pause]").isEnabled()).isFalse();

        browser.awaitClickable("[data-action=resume]").click();
        awaitStatus("queued");
        assertThat(dsl().select(CAMPAIGN_QUEUE.STATUS).from(CAMPAIGN_QUEUE).fetchOne(CAMPAIGN_QUEUE.STATUS)).isEqualTo("queued");

        browser.type("#ctl-batch", "20");
        browser.type("#ctl-delay", "250");
        browser.find("#save-controls").click();
        browser.awaitText("#toasts", "Controls applied");
        var c = dsl().selectFrom(CAMPAIGN).fetchOne();
        assertThat(c.getBatchSize()).isEqualTo(20);
        assertThat(c.getDelayMs()).isEqualTo(250);

        browser.find("[data-action=cancel]").click();
        browser.await("dialog [data-confirm]").click();
        awaitStatus("cancelled");
        assertThat(browser.find("[data-action=resume]").isEnabled()).isFalse();
        assertThat(browser.find("[data-action=cancel]").isEnabled()).isFalse();
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT, CAMPAIGN_RECIPIENT.STATUS.eq("pending"))).isEqualTo(5);
        assertNoConsoleErrors();
    }

    @Test
    void sends_a_test_email_through_the_queue_and_follows_its_status_until_sent() {
        long sender = createSender("Main", "news@shop.example", null, 100);
        long id = createCampaign(sender, "November news", "Hello {{name}}", 2);
        browser.signIn(operator);
        browser.go("/campaigns/" + id);
        browser.type("#test-card [name=test_to]", "me@example.com");
        browser.find("#test-card [data-action=send-test]").click();
        browser.await("[data-test-email-status=queued]");
        var row = dsl().selectFrom(TEST_EMAIL).fetchOne();
        assertThat(row.getToEmail()).isEqualTo("me@example.com");
        assertThat(row.getCampaignId()).isEqualTo(id);

        new Simulated(dsl()).testEmailSent(row.getId());
        browser.await("[data-test-email-status=sent]");
        assertThat(browser.find("#test-card").getText()).contains("<t" + row.getId() + "@mailroom.example>");
        assertNoConsoleErrors();
    }

    @Test
    void follows_progress_live_and_tells_the_defer_reason_in_the_senders_time_zone() {
        long sender = createSender("Main", "news@shop.example", moscowOfficeHours(), 100);
        long id = createCampaign(sender, "November news", "Hello {{name}}", 40);
        lifecycle(id, "queue");
        Simulated sim = new Simulated(dsl());
        sim.settle(id, 10, "sent").processing(id);
        browser.signIn(viewer);
        browser.go("/campaigns/" + id);
        browser.awaitText("[data-stat=sent]", "10");
        browser.awaitText("#live-mode", "Live");

        sim.settle(id, 15, "sent").settle(id, 2, "failed");
        new RedisLiveEvents(TestApp.redis()).publish(id, "batch", Map.of("size", 17, "sent", 15, "failed", 2));
        browser.awaitText("[data-stat=sent]", "25");
        assertThat(browser.find("[data-stat=failed]").getText()).isEqualTo("2");
        assertThat(browser.find("[data-stat=pending]").getText()).isEqualTo("13");
        // The sends-per-minute chart drew what the workers recorded, the 10 sent before the page opened too: its
        // green bars' titles add up to the 25 sends, and a red bar stands for the 2 failures (whichever minutes
        // they fell in).
        browser.awaitTrue("""
                const sent = [...document.querySelectorAll('#rate-chart rect title')]
                    .map(t => parseInt(t.textContent.split('— ')[1], 10)).reduce((a, b) => a + b, 0);
                return sent === 25 && document.querySelectorAll('#rate-chart rect[fill="#d9483b"]').length > 0;""",
                Duration.ofSeconds(15));

        OffsetDateTime until = OffsetDateTime.now().truncatedTo(ChronoUnit.HOURS).plusHours(1);
        sim.deferred(id, "rate_hour", until);
        new RedisLiveEvents(TestApp.redis()).publish(id, "deferred", Map.of("reason", "rate_hour"));
        awaitStatus("deferred");
        String hhmm = until.atZoneSameInstant(ZoneId.of("Europe/Moscow")).format(DateTimeFormatter.ofPattern("HH:mm"));
        browser.awaitText("#defer-sentence", "Waiting for the hourly limit — resumes");
        assertThat(browser.find("#defer-sentence").getText()).contains(hhmm + " Moscow time");
        assertNoConsoleErrors();
    }

    @Test
    void filters_and_pages_the_recipients_and_opens_a_delivery_timeline() {
        long sender = createSender("Main", "news@shop.example", null, 100);
        long id = createCampaign(sender, "November news", "Hello {{name}}", 60);
        lifecycle(id, "queue");
        new Simulated(dsl()).settle(id, 30, "sent").settle(id, 2, "failed").processing(id);
        browser.signIn(viewer);
        browser.go("/campaigns/" + id);
        browser.await("#recipient-table tbody tr");
        assertThat(browser.all("#recipient-table tbody tr")).hasSize(25);
        browser.find("#recipients-next").click();
        browser.awaitText("#recipients-card .pager", "Page 2");
        assertThat(browser.all("#recipient-table tbody tr")).hasSize(25);
        browser.find("#recipients-next").click();
        browser.awaitText("#recipients-card .pager", "Page 3");
        assertThat(browser.all("#recipient-table tbody tr")).hasSize(10);
        assertThat(browser.find("#recipients-next").isEnabled()).isFalse();

        new Select(browser.find("#recipient-filter")).selectByValue("failed");
        browser.awaitText("#recipients-card .pager", "Page 1");
        browser.awaitTrue("return document.querySelectorAll('#recipient-table tbody tr').length === 2;", Duration.ofSeconds(10));
        browser.find("#recipient-table tbody tr").click();
        browser.awaitText("[data-timeline]", "User unknown");
        assertThat(browser.find("[data-timeline]").getText()).contains("Attempt 1").contains("Failed");
        assertNoConsoleErrors();
    }

    @Test
    void lets_an_admin_create_and_edit_a_sender_and_manage_suppressions() {
        browser.signIn(admin);
        browser.go("/senders");
        browser.awaitText("#main .empty", "No sender yet");
        browser.find("#new-sender").click();
        browser.type("#sender-form [name=name]", "Main newsletter");
        browser.type("#sender-form [name=from_email]", "news@shop.example");
        browser.type("#sender-form [name='smtp.host']", "smtp.example.com");
        browser.type("#sender-form [name='smtp.password']", "s3cret");
        browser.type("#sender-form [name='window.timezone']", "Europe/Moscow");
        browser.find("#save-sender").click();
        browser.await("#sender-table tbody tr");
        assertThat(browser.find("#sender-table").getText()).contains("Main newsletter").contains("Mon–Fri 09:00–18:00 Moscow time");
        var row = dsl().selectFrom(SENDER).fetchOne();
        assertThat(row.getSmtpHost()).isEqualTo("smtp.example.com");
        assertThat(row.getSmtpTls()).isEqualTo("starttls");

        browser.find("#sender-table tbody tr a").click();
        browser.type("#sender-form [name=hourly_limit]", "250");
        browser.type("#sender-form [name=from_email]", "not an address");
        browser.find("#save-sender").click();
        browser.awaitText("#sender-form [data-field=from_email] .field-error", "email");
        browser.type("#sender-form [name=from_email]", "news@shop.example");
        browser.find("#save-sender").click();
        browser.await("#sender-table tbody tr");
        assertThat(browser.find("#sender-table").getText()).contains("250 / hour");
        var edited = dsl().selectFrom(SENDER).fetchOne();
        assertThat(edited.getHourlyLimit()).isEqualTo(250);
        assertThat(edited.getSmtpPassword()).as("an empty password field keeps the stored one").isEqualTo(row.getSmtpPassword());

        browser.go("/suppressions");
        browser.await("#suppress-form");
        browser.type("#suppress-email", "gone@example.com");
        new Select(browser.find("#suppress-reason")).selectByValue("unsubscribe");
        browser.find("#suppress-add").click();
        browser.await("#suppression-table tr[data-email='gone@example.com']");
        assertThat(dsl().select(SUPPRESSION.REASON).from(SUPPRESSION).fetchOne(SUPPRESSION.REASON)).isEqualTo("unsubscribe");
        browser.find("[data-remove='gone@example.com']").click();
        browser.await("dialog [data-confirm]").click();
        browser.awaitText("#main .empty", "No suppressed addresses");
        assertThat(dsl().fetchCount(SUPPRESSION)).isZero();
    }
}
