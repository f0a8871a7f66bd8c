package dev.mailroom.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit page (admin only): who changed what, newest first. */
class ConsoleAuditTest extends ConsoleTestBase {

    @Test
    void an_admin_sees_who_changed_what_and_other_roles_do_not_see_the_page() {
        long sender = createSender("Newsletters", "news@example.com", null, 1000);
        call("POST", "/api/suppressions", operator, Map.of("email", "gone@example.com", "reason", "manual"));
        call("DELETE", "/api/suppressions/gone@example.com", operator, null);
        call("PATCH", "/api/senders/" + sender, admin, Map.of("hourly_limit", 200));

        browser.open("");
        browser.signIn(admin);
        browser.go("/audit");
        browser.await("#audit-table tbody tr");
        assertThat(browser.all("#audit-table tbody tr")).hasSize(4);
        String newest = browser.find("#audit-table tbody tr").getText();
        assertThat(newest).contains("Ada Admin", "sender.update", "sender " + sender, "changed: hourly_limit");
        assertThat(browser.find("#audit-table tbody").getText())
                .contains("Olga Operator", "suppression.remove", "suppression gone@example.com", "reason: manual");
        browser.screenshot("audit");
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();

        browser.go("/campaigns");
        browser.find("#sign-out").click();
        browser.signIn(operator);
        browser.await("[data-nav='campaigns']");
        assertThat(browser.all("[data-nav='audit']")).isEmpty();
        browser.go("/audit");
        browser.awaitText("#main", "needs the admin role");
    }
}
