package dev.mailroom.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailroom.testkit.FaultySmtpServer;
import dev.mailroom.testkit.PostgresExtension;
import dev.mailroom.testkit.RedisExtension;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console watching a real campaign go out: a person writes and queues it in headless Chromium, a
 * real worker sends it over SMTP, and the campaign page follows it live until "sent". (The web module's
 * console tests simulate the worker in SQL; this is the one place both run together. The browser set-up
 * is a minimal copy of web's test Browser.)
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class ConsoleEndToEndTest {
    private final FaultySmtpServer smtp = FaultySmtpServer.start();
    private Mailroom mailroom;
    private ChromeDriverService service;
    private ChromeDriver driver;

    @BeforeEach
    void start(@TempDir Path profile) {
        mailroom = new Mailroom();
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().withSilent(true).build();
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,800", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 800));
    }

    @AfterEach
    void stop() {
        if (driver != null) driver.quit();
        if (service != null) service.stop();
        mailroom.close();
        smtp.close();
    }

    private void await(String script, Duration timeout) {
        new WebDriverWait(driver, timeout).until(d -> Boolean.TRUE.equals(driver.executeScript(script)));
    }

    @Test
    void a_campaign_written_and_queued_in_the_console_is_watched_live_until_every_recipient_is_sent() throws Exception {
        smtp.messageDelay(Duration.ofMillis(25));
        long sender = mailroom.sender(smtp.port(), 100_000);
        mailroom.worker("w1", Map.of("MAILROOM_WORKER_CONCURRENCY", "1"));

        driver.get(mailroom.base() + "/");
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")))
                .sendKeys(Mailroom.ADMIN_KEY);
        driver.findElement(By.cssSelector("#signin-form button[type=submit]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.elementToBeClickable(By.id("new-campaign"))).click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(By.id("c-name")))
                .sendKeys("Live in the browser");
        driver.findElement(By.id("c-subject")).sendKeys("Hello {{name}}");
        StringBuilder list = new StringBuilder("email,name\n");
        for (int i = 0; i < 120; i++) list.append("live").append(i).append("@example.org,Reader ").append(i).append('\n');
        driver.executeScript("const t = document.getElementById('recipients-paste'); t.value = arguments[0];"
                + " t.dispatchEvent(new Event('input'));", list.toString());
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("recipients-summary"), "120 rows to add"));
        driver.findElement(By.id("save-queue")).click();
        // Queueing asks first, naming how many, from whom and when (the server read the list meanwhile).
        WebElement confirm = new WebDriverWait(driver, Duration.ofSeconds(15))
                .until(ExpectedConditions.elementToBeClickable(By.cssSelector("dialog[open] [data-confirm]")));
        assertThat(driver.findElement(By.cssSelector("dialog[open]")).getText()).contains("120 recipients");
        confirm.click();

        await("return /^#\\/campaigns\\/\\d+$/.test(location.hash);", Duration.ofSeconds(15));
        long campaign = Long.parseLong(((String) driver.executeScript("return location.hash;")).replaceAll("\\D", ""));
        await("var s = document.getElementById('campaign-status'); return !!s && s.dataset.status === 'sent';",
                Duration.ofSeconds(60));
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-stat=sent]"), "120"));
        assertThat(driver.findElement(By.id("status-line")).getText()).contains("every recipient was sent");
        // The chart is read from the recorded attempts at most every 5 s: the last read may predate the end.
        await("return document.querySelectorAll('#rate-chart rect').length > 0;", Duration.ofSeconds(15));

        Path shots = Path.of(System.getProperty("basedir", "."), "target", "screenshots");
        Files.createDirectories(shots);
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), shots.resolve("campaign-finished.png"),
                StandardCopyOption.REPLACE_EXISTING);

        assertThat(mailroom.progress(campaign).get("status").asText()).isEqualTo("sent");
        assertThat(smtp.received()).hasSize(120);
        assertThat(smtp.receivedCounts().values()).as("no address received twice").allMatch(n -> n == 1);
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList()).as("browser console errors").isEmpty();
    }
}
