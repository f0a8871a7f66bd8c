package dev.mailroom.web.console;

import static dev.mailroom.db.generated.Tables.CONNECTION_TEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/**
 * Saying what is wrong: a sender whose mail server refuses connections is shown as such — on the ops card (not a
 * green "SMTP enabled"), on the senders page, in the campaign's waiting reason — its recipients' attempt counts
 * agree with their timelines, and "Test connection" shows the worker's named result (the worker simulated in SQL).
 * Seen failing before: the card read "SMTP enabled", the campaign "could not be reached or answered with a
 * temporary error" (nothing answered), and the list said 0 attempts beside a timeline's "Attempt 1".
 */
class ConsoleRelayFaultsTest extends ConsoleTestBase {
    private static final String REFUSED = "Nothing accepted the connection (connection refused): the mail server is not "
            + "running on this host and port, or a firewall rejects it.";

    @Test
    void a_relay_refusing_connections_is_named_everywhere_and_the_attempt_count_matches_the_timeline() {
        long sender = createSender("Main newsletter", "news@shop.example", null, 500);
        long campaign = createCampaign(sender, "November news", "Hello {{name}}", 5);
        lifecycle(campaign, "queue");
        new Simulated(dsl()).deferred(campaign, "transient_error", OffsetDateTime.now().plusMinutes(5))
                .relayFailed(sender, "connection_refused", "transient_error: cannot connect: connection refused", REFUSED)
                .refusedByTheRelay(campaign);
        browser.signIn(admin);

        browser.go("/ops");
        String card = "[data-sender-card='" + sender + "']";
        browser.await(card + " [data-connection=failed]");
        assertThat(browser.find(card + " .card-head").getText()).contains("Connection refused").doesNotContain("SMTP enabled");
        assertThat(browser.find(card + " [data-connection]").getText()).contains(REFUSED);
        assertThat(browser.find(card + " [data-reason=transient_error]").getText())
                .contains("The mail server could not be reached: connection refused").doesNotContain("temporary error");
        browser.screenshot("ops-relay-refused");

        browser.go("/campaigns/" + campaign);
        browser.awaitText("#defer-sentence", "could not be reached: connection refused");
        browser.await("#recipient-table tbody tr[data-recipient-id]");
        var first = browser.find("#recipient-table tbody tr[data-recipient-id]");
        assertThat(first.findElement(org.openqa.selenium.By.cssSelector("[data-label=Attempts]")).getText()).isEqualTo("0");
        first.click();
        browser.await("[data-timeline] li");
        assertThat(browser.all("[data-timeline] li")).hasSize(1);
        assertThat(browser.find("[data-timeline] li").getAttribute("data-counted")).isEqualTo("false");
        assertThat(browser.find("[data-timeline] li").getText()).contains("Not counted", "Connection refused")
                .doesNotContain("Attempt 1");
        browser.js("document.getElementById('recipients-card').scrollIntoView();");
        browser.screenshot("campaign-relay-refused");

        browser.go("/senders");
        browser.awaitText("[data-connection-badge='" + sender + "']", "Connection refused");
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }

    @Test
    void test_connection_goes_through_the_queue_and_shows_the_named_result() {
        long sender = createSender("Main newsletter", "news@shop.example", null, 500);
        Simulated sim = new Simulated(dsl());
        browser.signIn(admin);
        browser.go("/senders/" + sender);
        browser.awaitText("#sender-connection", "Not tried yet");

        browser.find("[data-action=test-connection]").click();
        browser.await("[data-connection-test=queued]");
        assertThat(browser.find("[data-connection-test]").getText()).contains("Waiting for a worker");
        sim.connectionTested(lastTest(sender), "failed", "auth_refused",
                "The mail server refused this sender's username or password: 535 5.7.8 authentication failed.");
        browser.await("[data-connection-test=failed]");
        assertThat(browser.find("[data-connection-test]").getText()).contains("Login refused", "535 5.7.8 authentication failed");
        browser.awaitText("#sender-connection", "Login refused"); // the sender's last connection, read again
        browser.js("document.getElementById('sender-connection').scrollIntoView();");
        browser.screenshot("sender-connection-test");

        browser.find("[data-action=test-connection]").click();
        browser.awaitTrue("return document.querySelector('[data-connection-test]').dataset.connectionTest === 'queued';",
                Duration.ofSeconds(15));
        sim.connectionTested(lastTest(sender), "ok", null,
                "The mail server answered and upgraded to TLS (STARTTLS) and accepted the username and password.");
        browser.await("[data-connection-test=ok]");
        assertThat(browser.find("[data-connection-test]").getText()).contains("Connection OK", "accepted the username and password");
        browser.awaitText("#sender-connection", "Connected");

        // The ops card says so too, and an operator can test from there.
        browser.open("health/live");
        browser.js("sessionStorage.clear();");
        browser.signIn(operator);
        browser.go("/ops");
        String card = "[data-sender-card='" + sender + "']";
        browser.await(card + " [data-connection=ok]");
        assertThat(browser.find(card + " .card-head").getText()).contains("SMTP enabled");
        assertThat(browser.all(card + " [data-action=test-connection]")).hasSize(1);
        assertThat(browser.find(card + " [data-action=test-connection]").getText()).isEqualTo("Test connection");
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }

    private long lastTest(long sender) {
        return dsl().select(CONNECTION_TEST.ID).from(CONNECTION_TEST).where(CONNECTION_TEST.SENDER_ID.eq(sender))
                .orderBy(CONNECTION_TEST.ID.desc()).limit(1).fetchSingle(CONNECTION_TEST.ID);
    }
}
