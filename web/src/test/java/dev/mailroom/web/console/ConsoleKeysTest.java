package dev.mailroom.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.web.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.Select;

/** The keys page (admin): the list, a new key shown once with a copy button, revoking with a confirmation. */
class ConsoleKeysTest extends ConsoleTestBase {

    private static int status(String key) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(TestApp.base() + "/api/me")).header("Authorization", "Bearer " + key).build();
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String row(String name) {
        return "#key-table tbody tr[data-key-name='" + name + "']";
    }

    @Test
    void an_admin_lists_creates_copies_and_revokes_keys() throws Exception {
        browser.signIn(admin);
        browser.find("[data-nav='keys']").click();
        browser.await(row("Olga Operator"));
        assertThat(browser.find(row("Ada Admin")).getText()).contains("Admin");
        assertThat(browser.find(row("Victor Viewer")).getText()).contains("Viewer", "Never used");

        browser.type("#key-name", "CRM sync");
        new Select(browser.find("#key-role")).selectByValue("operator");
        browser.find("#key-create").click();
        browser.await("#new-key-secret");
        String secret = browser.find("#new-key-secret").getDomProperty("value");
        assertThat(secret).startsWith("mr_").hasSizeGreaterThan(40);
        assertThat(browser.find("#new-key").getText()).contains("You will not see this key again");
        assertThat(status(secret)).as("the shown key works").isEqualTo(200);
        browser.await(row("CRM sync"));

        browser.driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", TestApp.base(),
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        browser.find("#copy-key").click();
        browser.awaitText("#copy-key", "Copied");
        Object copied = ((JavascriptExecutor) browser.driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done('failed: ' + e));");
        assertThat(copied).isEqualTo(secret);
        browser.screenshot("keys-created");

        browser.go("/campaigns");
        browser.go("/keys");
        browser.await(row("CRM sync"));
        assertThat(browser.all("#new-key-secret")).as("a key is shown once").isEmpty();
        assertThat(browser.find("#main").getText()).doesNotContain(secret);

        // Revoking asks first; keeping it changes nothing.
        browser.find(row("CRM sync") + " [data-revoke]").click();
        browser.await("dialog .btn:not([data-confirm])").click();
        assertThat(status(secret)).isEqualTo(200);
        browser.find(row("CRM sync") + " [data-revoke]").click();
        browser.await("dialog [data-confirm]").click();
        browser.awaitText(row("CRM sync"), "Revoked");
        assertThat(status(secret)).as("a revoked key is refused").isEqualTo(401);
        assertThat(browser.all(row("CRM sync") + " [data-revoke]")).isEmpty();
        browser.screenshot("keys");
        assertThat(browser.severeLogs()).as("browser console errors").isEmpty();
    }

    @Test
    void operators_and_viewers_neither_see_nor_open_the_keys_page() {
        browser.signIn(operator);
        assertThat(browser.all("[data-nav='keys']")).isEmpty();
        browser.go("/keys");
        browser.awaitText("#main", "needs the admin role");
        browser.find("#sign-out").click();
        browser.signIn(viewer);
        assertThat(browser.all("[data-nav='keys']")).isEmpty();
    }
}
