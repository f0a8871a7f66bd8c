package dev.mailroom.web.console;

import static dev.mailroom.db.generated.Tables.SENDER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.core.circuit.CircuitBreakers;
import dev.mailroom.core.circuit.CircuitRule;
import dev.mailroom.db.postgres.JooqDomainHistory;
import dev.mailroom.db.redis.RedisCircuitBreakers;
import dev.mailroom.web.TestApp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ops page shows a sender's open circuits (I16) and why its relay refused it; an operator closes a route. */
class ConsoleCircuitsTest extends ConsoleTestBase {

    @Test
    void ops_shows_open_routes_and_the_relay_s_refusal_and_an_operator_closes_a_route() {
        long sender = createSender("Newsletters", "news@example.com", null, 1000);
        CircuitBreakers breakers = new RedisCircuitBreakers(TestApp.redis(), new JooqDomainHistory(dsl()), CircuitRule.DEFAULT);
        Set<Long> refused = new HashSet<>();
        for (long r = 1; r <= 24; r++) refused.add(r);
        breakers.record(sender, Map.of("mail.example.org",
                new CircuitBreakers.RouteResults(Set.of(), refused, "554 5.7.1 Message rejected as spam")), Instant.now());
        dsl().update(SENDER).set(SENDER.LAST_ERROR, "smtp_auth: 535 5.7.8 Authentication credentials invalid")
                .where(SENDER.ID.eq(sender)).execute();

        browser.open("");
        browser.signIn(operator);
        browser.go("/ops");
        browser.await("[data-circuits] [data-circuit='mail.example.org']");
        assertThat(browser.find("[data-circuit='mail.example.org']").getText())
                .contains("mail.example.org", "100% of 24 failed", "554 5.7.1 Message rejected as spam");
        assertThat(browser.find("[data-last-error]").getText()).contains("535 5.7.8");
        browser.screenshot("ops-circuits");

        browser.find("[data-close-circuit='mail.example.org']").click();
        browser.awaitTrue("return !document.querySelector(\"[data-circuit='mail.example.org']\");", Duration.ofSeconds(10));
        assertThat(breakers.circuits(sender, Instant.now())).isEmpty();
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }
}
