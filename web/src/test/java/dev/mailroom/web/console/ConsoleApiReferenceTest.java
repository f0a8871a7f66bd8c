package dev.mailroom.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/**
 * The API reference page renders the served OpenAPI document — every operation, grouped by tag, with its
 * method, path, roles and fields — for any role, filters it, opens a linked operation, and does all of
 * that under the console's Content-Security-Policy.
 */
class ConsoleApiReferenceTest extends ConsoleTestBase {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private final List<String> violations = new ArrayList<>();

    private void checkCsp(String page) {
        browser.cspViolations().forEach(v -> violations.add(page + ": " + v));
        for (LogEntry e : browser.severeLogs()) violations.add(page + ": " + e.getMessage());
    }

    private static String op(String method, String path) {
        return "details.op[data-op='" + method + " " + path + "']";
    }

    /** Opens an operation by clicking its summary line, as a person would. */
    private WebElement open(String method, String path) {
        WebElement details = browser.find(op(method, path));
        if (details.getDomAttribute("open") == null) details.findElement(By.cssSelector("summary")).click();
        browser.await(op(method, path) + " .op-body");
        return details;
    }

    private static List<String> texts(WebElement root, String css) {
        return root.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    @Test
    void a_viewer_reads_every_operation_with_its_roles_and_fields() {
        JsonNode doc = call("GET", "/api/openapi.json", viewer, null);
        int operations = 0;
        for (JsonNode item : doc.get("paths")) {
            for (var it = item.fieldNames(); it.hasNext(); ) if (METHODS.contains(it.next())) operations++;
        }

        browser.signIn(viewer);
        checkCsp("sign-in");
        browser.find("[data-nav='api']").click();
        browser.await(".tag-group details.op");
        assertThat(browser.all(".tag-group[data-tag]:not([data-tag='Outgoing webhooks']) details.op")).hasSize(operations);
        assertThat(browser.all(".tag-group[data-tag] > .card-head h2").stream().map(WebElement::getText).toList())
                .startsWith("Keys and identity", "Senders").contains("Campaigns", "Lifecycle", "Operations", "Outgoing webhooks");
        browser.screenshot("api-reference-top");
        checkCsp("api reference");

        WebElement create = open("POST", "/api/campaigns");
        assertThat(create.findElement(By.cssSelector("[data-roles]")).getDomAttribute("data-roles")).isEqualTo("operator");
        WebElement request = create.findElement(By.cssSelector("[data-request] [data-fields]"));
        assertThat(texts(request, ".field-name")).contains("name *", "sender_id *", "subject *", "html", "recipients",
                "recipients[].email *", "recipients[].vars", "send_at");
        assertThat(request.findElement(By.cssSelector("tr[data-field='send_at'] .field-type")).getText())
                .isEqualTo("string (date-time) | null");
        WebElement created = create.findElement(By.cssSelector("li[data-status='201']"));
        assertThat(texts(created, ".field-name")).containsExactly("id *", "status *", "total *");
        assertThat(texts(create, ".responses > li .status")).contains("201", "400", "401", "403", "413", "429");
        browser.js("arguments[0].scrollIntoView();", create);
        browser.screenshot("api-reference");
        checkCsp("operation opened");

        WebElement sender = open("GET", "/api/senders/{id}");
        assertThat(texts(sender, "[data-params] .field-name")).containsExactly("id *");
        assertThat(texts(sender, "li[data-status='200'] .field-name")).contains("smtp.host *", "smtp.has_password *",
                "window.days *", "dkim.dns_txt *", "last_error *");
        assertThat(sender.findElement(By.cssSelector("[data-roles]")).getDomAttribute("data-roles")).isEqualTo("viewer");
        WebElement bounces = browser.find(op("POST", "/api/events/bounces"));
        assertThat(bounces.findElement(By.cssSelector("[data-roles]")).getDomAttribute("data-roles")).isEqualTo("ingest operator");
        assertThat(browser.find(op("GET", "/health/live") + " .op-roles").getText()).isEqualTo("no key");

        assertThat(texts(browser.find("[data-problem]"), ".field-name"))
                .contains("type *", "title *", "status *", "detail *", "errors", "errors[].field *", "errors[].message *", "current_status");

        browser.type("#api-filter", "bounce");
        browser.awaitTrue("return document.querySelector(\"" + op("GET", "/api/poll").replace("\"", "\\\"") + "\").hidden;",
                Duration.ofSeconds(5));
        assertThat(browser.find(op("POST", "/api/events/bounces")).isDisplayed()).isTrue();
        assertThat(browser.find(op("PUT", "/api/senders/{id}/bounce-mailbox")).isDisplayed()).isTrue();
        assertThat(browser.find(".tag-group[data-tag='Campaigns']").isDisplayed()).isFalse();
        browser.type("#api-filter", "no-such-operation");
        browser.await("#api-no-match");
        checkCsp("filtered");

        browser.go("/campaigns");
        browser.await("#main h1");
        browser.go("/api?op=poll");
        browser.await(op("GET", "/api/poll") + " .op-body");
        assertThat(browser.find(op("GET", "/api/poll")).getDomAttribute("open")).isNotNull();
        assertThat(texts(browser.find(op("GET", "/api/poll")), "li[data-status='200'] .field-name"))
                .contains("active_campaign *", "active_campaign.progress_pct *", "quota.hour.resets_at *", "as_of *");

        browser.size(390, 844);
        browser.go("/campaigns");
        browser.await("#main h1");
        browser.go("/api?op=createCampaign");
        browser.await(op("POST", "/api/campaigns") + " .op-body");
        browser.screenshot("api-reference-narrow");
        checkCsp("narrow");

        assertThat(violations).as("Content-Security-Policy violations and console errors").isEmpty();
    }
}
