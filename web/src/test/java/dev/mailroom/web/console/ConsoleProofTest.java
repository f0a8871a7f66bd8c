package dev.mailroom.web.console;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.TEST_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;

/**
 * Proofing a live campaign from its page: test emails rendered as one of its recipients, to several
 * addresses at once, and the campaign's list of test emails with their status, read from the server so it
 * outlives the page. The worker is simulated in SQL: what is checked is what the console sends and shows.
 */
class ConsoleProofTest extends ConsoleTestBase {

    private long recipientId(long campaignId, String email) {
        return dsl().select(CAMPAIGN_RECIPIENT.ID).from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaignId).and(CAMPAIGN_RECIPIENT.EMAIL.eq(email)))
                .fetchOne(CAMPAIGN_RECIPIENT.ID);
    }

    private void awaitRows(int n) {
        browser.awaitTrue("return document.querySelectorAll('#test-email-list [data-test-email-id]').length === " + n + ";",
                Duration.ofSeconds(15));
    }

    private String row(long testEmailId) {
        return "#test-email-list [data-test-email-id='" + testEmailId + "']";
    }

    @Test
    void proofs_a_live_campaign_as_a_chosen_recipient_to_several_addresses_and_keeps_the_list_across_navigation() {
        long sender = createSender("Main", "news@shop.example", null, 100);
        long id = createCampaign(sender, "November news", "Hello {{name}}, your {{vars.plan}} plan", 3);
        lifecycle(id, "queue");
        Simulated sim = new Simulated(dsl());
        sim.settle(id, 1, "sent").processing(id);
        long boris = recipientId(id, "boris2@example.com");

        browser.signIn(operator);
        browser.go("/campaigns/" + id);
        Select as = new Select(browser.await("#proof-as"));
        assertThat(browser.find("label[for=proof-as]").isDisplayed()).as("the recipient picker has a visible label").isTrue();
        assertThat(browser.find("label[for=proof-to]").isDisplayed()).as("the address field has a visible label").isTrue();
        assertThat(as.getFirstSelectedOption().getText()).as("the first recipient by default").contains("ann1@example.com");
        browser.awaitText("#proof-subject", "Hello Ann, your pro plan");
        as.selectByValue(String.valueOf(boris));
        browser.awaitText("#proof-subject", "Hello Boris, your free plan");

        browser.type("#proof-to", "me@example.com, boss@example.com");
        browser.find("#test-card [data-action=send-test]").click();
        awaitRows(2);
        var rows = dsl().selectFrom(TEST_EMAIL).orderBy(TEST_EMAIL.ID).fetch();
        assertThat(rows).extracting(r -> r.getToEmail()).containsExactly("me@example.com", "boss@example.com");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.getCampaignId()).isEqualTo(id);
            assertThat(r.getRecipientId()).as("rendered with the chosen recipient's data").isEqualTo(boris);
        });
        long toMe = rows.get(0).getId();
        long toBoss = rows.get(1).getId();
        assertThat(browser.find(row(toMe)).getText()).contains("me@example.com").contains("Boris")
                .contains("Hello Boris, your free plan");
        assertThat(browser.find(row(toMe)).getDomAttribute("data-status")).isEqualTo("queued");
        browser.screenshot("campaign-proof");

        // The list follows the worker while a test email is queued.
        sim.testEmailSent(toMe);
        OffsetDateTime until = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS).plusHours(1);
        sim.testEmailDeferred(toBoss, "rate_hour", until);
        browser.await(row(toMe) + "[data-status=sent]");
        browser.await(row(toBoss) + "[data-status=deferred]");
        assertThat(browser.find(row(toMe)).getText()).contains("<t" + toMe + "@mailroom.example>");
        String hhmm = until.format(DateTimeFormatter.ofPattern("HH:mm"));
        assertThat(browser.find(row(toBoss)).getText()).contains("Waiting for the hourly limit").contains(hhmm + " UTC");

        // Leaving the page and coming back: the list is the server's, not the page's memory.
        browser.go("/campaigns");
        browser.await("#campaign-table tbody tr");
        browser.go("/campaigns/" + id);
        awaitRows(2);
        browser.await(row(toMe) + "[data-status=sent]");
        browser.await(row(toBoss) + "[data-status=deferred]");
        assertThat(browser.find(row(toBoss)).getText()).contains("Waiting for the hourly limit");
        sim.testEmailFailed(toBoss, "554 5.7.1 rejected by policy");
        browser.driver.navigate().refresh(); // a reload too: the key stays in the tab, the list is the server's
        browser.await(row(toBoss) + "[data-status=failed]");
        assertThat(browser.find(row(toBoss)).getText()).contains("554 5.7.1");
        browser.screenshot("campaign-proof-list");

        // More than ten addresses: said at once, nothing queued.
        browser.type("#proof-to", IntStream.rangeClosed(1, 11).mapToObj(i -> "p" + i + "@example.com").collect(Collectors.joining(", ")));
        browser.find("#test-card [data-action=send-test]").click();
        browser.awaitText("#test-card [data-field=to] .field-error", "10");
        assertThat(dsl().fetchCount(TEST_EMAIL)).isEqualTo(2);
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }
}
