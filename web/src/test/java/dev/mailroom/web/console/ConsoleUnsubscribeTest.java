package dev.mailroom.web.console;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static dev.mailroom.db.generated.Tables.SUPPRESSION;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.secret.KeyRing;
import dev.mailroom.core.secret.RecipientTokens;
import dev.mailroom.core.secret.RecipientTokens.Addressee;
import dev.mailroom.testkit.TestServices;
import org.junit.jupiter.api.Test;

/** A recipient's unsubscribe link in a real browser (I18): opening it writes nothing, the button unsubscribes. */
class ConsoleUnsubscribeTest extends ConsoleTestBase {

    @Test
    void I18_opening_the_link_writes_nothing_and_the_button_suppresses_the_address() {
        long sender = createSender("Newsletters", "news@example.com", null, 1000);
        long campaign = createCampaign(sender, "November news", "Hello", 2);
        long recipient = dsl().select(CAMPAIGN_RECIPIENT.ID).from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(campaign), CAMPAIGN_RECIPIENT.EMAIL.eq("ann1@example.com"))
                .fetchOne(CAMPAIGN_RECIPIENT.ID);
        String token = new RecipientTokens(KeyRing.parse(TestServices.SECRET_KEY))
                .issue(RecipientTokens.Purpose.UNSUBSCRIBE, Addressee.recipient(campaign, recipient));

        browser.open("u/" + token);
        browser.await("form[method=post] button[type=submit]");
        assertThat(browser.driver.getTitle()).isEqualTo("Unsubscribe");
        assertThat(browser.find("html").getAttribute("lang")).isEqualTo("en");
        assertThat(browser.find("main").getText()).contains("Example Store");
        assertThat(browser.js("return getComputedStyle(document.querySelector('button')).borderRadius;"))
                .as("the stylesheet loads under the page's CSP").isEqualTo("8px");
        browser.screenshot("unsubscribe-page");
        assertThat(dsl().fetchCount(SUPPRESSION)).as("a GET never unsubscribes").isZero();

        browser.find("form[method=post] button[type=submit]").click();
        browser.awaitText("h1", "You are unsubscribed");
        assertThat(browser.find("[role=status]").getText()).contains("no more mailings from Example Store");
        browser.screenshot("unsubscribe-done");

        var row = dsl().selectFrom(SUPPRESSION).where(SUPPRESSION.EMAIL.eq("ann1@example.com")).fetchOne();
        assertThat(row).isNotNull();
        assertThat(row.getReason()).isEqualTo("unsubscribe");
        assertThat(row.getCampaignId()).isEqualTo(campaign);
        assertThat(dsl().select(CAMPAIGN.UNSUBSCRIBED).from(CAMPAIGN).where(CAMPAIGN.ID.eq(campaign))
                .fetchOne(CAMPAIGN.UNSUBSCRIBED)).isEqualTo(1);
        assertThat(browser.severeLogs()).as("browser console errors (CSP violations included)").isEmpty();
    }
}
