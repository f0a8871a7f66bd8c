package dev.mailroom.web.console;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_QUEUE;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Scheduling in the browser's time zone, reputation at a glance, retry-failed, and the sender complaint banner. */
class ConsoleDeliverabilityTest extends ConsoleTestBase {

    private void awaitStatus(String status) {
        browser.awaitTrue("var s = document.getElementById('campaign-status');"
                + " return !!s && s.dataset.status === '" + status + "';", Duration.ofSeconds(15));
    }

    @Test
    void schedules_a_campaign_in_the_browser_s_time_zone_and_shows_when_it_will_send() {
        createSender("Main", "news@shop.example", null, 100);
        browser.signIn(operator);
        browser.find("#new-campaign").click();
        browser.type("#c-name", "Spring sale");
        browser.type("#c-subject", "Spring is here");
        browser.type("#recipients-paste", "ann@example.com\nbob@example.com\n");
        browser.awaitText("#recipients-summary", "2 rows to add");

        String zone = (String) browser.js("return Intl.DateTimeFormat().resolvedOptions().timeZone;");
        assertThat(browser.find("label[for=c-send-at]").getText()).startsWith("Send at (").contains(
                zone.equals("UTC") || zone.equals("Etc/UTC") ? "UTC" : zone);
        // Two days ahead at 09:30 on the browser's clock, typed as a datetime-local value.
        String local = (String) browser.js("""
                const d = new Date(Date.now() + 2 * 86400000); d.setHours(9, 30, 0, 0);
                const p = n => String(n).padStart(2, '0');
                const v = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
                const el = document.getElementById('c-send-at'); el.value = v;
                el.dispatchEvent(new Event('input', { bubbles: true }));
                return v;""");
        Instant expected = Instant.parse((String) browser.js("return new Date(arguments[0]).toISOString();", local));
        browser.awaitText("#send-at-utc", expected.toString());
        browser.js("document.getElementById('c-send-at').scrollIntoView({ block: 'center' });");
        browser.screenshot("campaign-new-send-at");

        browser.find("#save-queue").click();
        assertThat(browser.await("dialog[open]").getText()).contains("2 recipients").contains("at its scheduled time");
        browser.find("dialog[open] [data-confirm]").click();
        browser.awaitTrue("return /^#\\/campaigns\\/\\d+$/.test(location.hash);", Duration.ofSeconds(15));
        awaitStatus("deferred");
        browser.awaitText("#scheduled-for", "Scheduled for");
        assertThat(browser.find("#scheduled-for").getDomAttribute("data-send-at")).isEqualTo(expected.toString());
        assertThat(browser.find("#defer-sentence").getDomAttribute("data-reason")).isEqualTo("scheduled");
        long id = dsl().select(CAMPAIGN.ID).from(CAMPAIGN).fetchOne(CAMPAIGN.ID);
        assertThat(dsl().select(CAMPAIGN.SEND_AT).from(CAMPAIGN).where(CAMPAIGN.ID.eq(id)).fetchOne(CAMPAIGN.SEND_AT).toInstant())
                .isEqualTo(expected);
        assertThat(dsl().select(CAMPAIGN_QUEUE.DEFER_REASON).from(CAMPAIGN_QUEUE).where(CAMPAIGN_QUEUE.CAMPAIGN_ID.eq(id))
                .fetchOne(CAMPAIGN_QUEUE.DEFER_REASON)).isEqualTo("scheduled");
        browser.screenshot("campaign-scheduled");
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }

    @Test
    void shows_reputation_beside_the_counts_and_retries_recipients_refused_by_policy_from_the_campaign_page() {
        long sender = createSender("Main", "news@shop.example", null, 100);
        long id = createCampaign(sender, "November news", "Hello {{name}}", 6);
        lifecycle(id, "queue");
        new Simulated(dsl()).settle(id, 4, "sent").settle(id, 2, "failed").finished(id, "completed_with_errors");
        // One of the two failures was a policy refusal of the message, not of the mailbox (I15).
        dsl().execute("""
                update delivery_attempt set outcome = 'refused', smtp_code = 554, reply = '554 5.7.1 Message rejected as spam'
                 where id = (select min(id) from delivery_attempt where campaign_id = ? and outcome = 'failed')""", id);
        dsl().update(CAMPAIGN).set(CAMPAIGN.BOUNCED, 1).set(CAMPAIGN.COMPLAINED, 0).set(CAMPAIGN.UNSUBSCRIBED, 2)
                .where(CAMPAIGN.ID.eq(id)).execute();

        browser.signIn(operator);
        browser.go("/campaigns/" + id);
        awaitStatus("completed_with_errors");
        browser.awaitText("[data-rep=unsubscribed]", "2");
        assertThat(browser.find("[data-rep=unsubscribed]").getText()).contains("50.0% of sent");
        assertThat(browser.find("[data-rep=bounced]").getText()).contains("1", "25.0% of sent");
        assertThat(browser.find("[data-rep=complained]").getText()).contains("0", "0.0% of sent");
        assertThat(browser.find("#reputation").getText()).contains("Bounced later", "Complaints", "Unsubscribed");
        browser.screenshot("campaign-reputation");

        browser.awaitClickable("[data-action=retry-failed]").click();
        browser.awaitText("#toasts", "1 failed recipient queued again");
        awaitStatus("queued");
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT, CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(id)
                .and(CAMPAIGN_RECIPIENT.STATUS.eq("pending")))).isEqualTo(1);
        browser.awaitTrue("return document.querySelector('[data-action=retry-failed]').hidden;", Duration.ofSeconds(10));
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }

    @Test
    void warns_on_the_senders_page_when_a_sender_s_complaints_reach_the_alert_threshold() {
        long noisy = createSender("Promotions", "promo@shop.example", null, 1000);
        long calm = createSender("Receipts", "receipts@shop.example", null, 1000);
        for (long s : new long[] {noisy, calm}) {
            dsl().execute("insert into delivery_attempt (sender_id, attempt_no, outcome, worker_id, attempted_at) "
                    + "select ?, 1, 'sent', 'w1', now() - interval '1 day' from generate_series(1, 400)", s);
        }
        long sale = createCampaign(noisy, "Sale", "Sale", 2); // complaints count when matched to a campaign of ours
        dsl().execute("insert into bounce_event (email, type, sender_id, campaign_id) values ('a@example.com', 'complaint', ?, ?), "
                + "('b@example.com', 'complaint', ?, ?)", noisy, sale, noisy, sale);

        browser.signIn(admin);
        browser.go("/senders");
        browser.await("[data-reputation-alert='" + noisy + "']");
        assertThat(browser.find("[data-reputation-alert='" + noisy + "']").getText())
                .contains("Promotions", "complaints at 0.50% of 400 sent in the last 7 days", "0.30% alert threshold");
        assertThat(browser.all("[data-reputation-alert='" + calm + "']")).isEmpty();
        assertThat(browser.find("[data-reputation-alert='" + noisy + "'] [role=alert]")).isNotNull();
        browser.screenshot("senders-complaint-alert");
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }
}
