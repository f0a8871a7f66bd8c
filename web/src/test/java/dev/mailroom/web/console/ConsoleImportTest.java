package dev.mailroom.web.console;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;

/**
 * Recipients from spreadsheets as people save them: the console hands the file to the server's CSV reader
 * and shows what the server made of it — the delimiter and encoding it detected, a column mapping when the
 * header has no email column, and, when rows are bad, the explicit choice to import the good ones and skip
 * the rest, with what was skipped and why. The server's all-or-nothing default stays until the user chooses.
 */
class ConsoleImportTest extends ConsoleTestBase {

    /** What Excel on a Russian Windows writes: semicolons, Windows-1251, CRLF, a header in Russian. */
    private static final String SPREADSHEET = String.join("\r\n",
            "Почта;Имя;Город",
            "anna@example.com;Анна;Казань",
            "boris(at)example.com;Борис;Омск",
            "vera@example.com;Вера;Тверь",
            ";Никто;Тула",
            "gleb@example.com;Глеб",
            "dasha@example.com;Даша;\"Ростов; на Дону\"") + "\r\n";

    @Test
    void imports_a_semicolon_separated_windows_1251_file_after_the_user_maps_its_columns_and_skips_its_bad_rows(@TempDir Path dir)
            throws IOException {
        createSender("Main", "news@shop.example", null, 100);
        Path file = Files.write(dir.resolve("клиенты.csv"), SPREADSHEET.getBytes(Charset.forName("windows-1251")));
        browser.signIn(operator);
        browser.go("/campaigns/new");
        browser.type("#c-name", "Весенняя рассылка");
        browser.type("#c-subject", "Привет, {{name}}");
        browser.find("#recipients-card [data-tab=file]").click();
        browser.find("#recipients-file").sendKeys(file.toString());
        browser.find("#save-draft").click();

        // No "email" column: the user names the columns, from the header as it reads in Cyrillic.
        browser.await("#csv-mapping");
        Select email = new Select(browser.find("#csv-email-column"));
        assertThat(email.getOptions()).extracting(o -> o.getText()).contains("Почта", "Имя", "Город");
        assertThat(browser.find("label[for=csv-email-column]").isDisplayed()).isTrue();
        assertThat(browser.find("label[for=csv-name-column]").isDisplayed()).isTrue();
        email.selectByVisibleText("Почта");
        new Select(browser.find("#csv-name-column")).selectByVisibleText("Имя");
        assertThat(dsl().fetchCount(CAMPAIGN)).as("the draft is saved").isEqualTo(1);
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isZero();
        browser.screenshot("import-mapping");
        browser.find("#csv-apply-mapping").click();

        // Bad rows: the server refused the whole file; the user is offered the explicit way out.
        browser.awaitText("#csv-problems", "Line 3");
        assertThat(browser.find("#csv-problems").getText()).contains("Line 5").contains("Line 6");
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).as("all or nothing until the user chooses").isZero();
        assertThat(browser.find("#csv-skip").getText()).isEqualTo("Import the 3 good rows, skip the 3 bad ones");
        browser.screenshot("import-bad-rows");
        browser.find("#csv-skip").click();

        browser.awaitText("#import-report", "3 recipients added");
        String report = browser.find("#import-report").getText();
        assertThat(report).contains("semicolon").contains("Windows-1251");
        assertThat(browser.find("#skipped-rows").getText()).contains("Line 3: email is not a valid email address")
                .contains("Line 5: email is not a valid email address").contains("Line 6: expected 3 columns, found 2");
        assertThat(dsl().select(CAMPAIGN_RECIPIENT.NAME).from(CAMPAIGN_RECIPIENT).orderBy(CAMPAIGN_RECIPIENT.ID)
                .fetch(CAMPAIGN_RECIPIENT.NAME)).containsExactly("Анна", "Вера", "Даша");
        assertThat(dsl().select(CAMPAIGN_RECIPIENT.VARS).from(CAMPAIGN_RECIPIENT)
                .where(CAMPAIGN_RECIPIENT.EMAIL.eq("dasha@example.com")).fetchOne(CAMPAIGN_RECIPIENT.VARS)).contains("Ростов; на Дону");

        // The preview now renders as the recipients the server stored.
        new Select(browser.await("#preview-as")).selectByVisibleText("Даша <dasha@example.com>");
        browser.awaitText("#preview-subject", "Привет, Даша");
        browser.screenshot("import-report");

        browser.find("#import-report a[href^='#/campaigns/']").click();
        browser.awaitTrue("return /^#\\/campaigns\\/\\d+$/.test(location.hash);", Duration.ofSeconds(15));
        assertThat(browser.all("dialog[open]")).as("nothing unsaved is left").isEmpty();
        browser.awaitText("#recipient-table", "Анна");
        assertThat(browser.find("#recipient-table").getText()).contains("vera@example.com").contains("Вера").contains("Даша");
        // Chromium logs every 4xx; the server's two refusals of the upload are part of the story, nothing else may be.
        assertThat(browser.severeLogs()).as("browser console errors").allSatisfy(e ->
                assertThat(e.getMessage()).contains("/recipients").contains("status of 400"));
    }
}
