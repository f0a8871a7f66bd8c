package dev.mailroom.web.console;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through /usr/bin/chromedriver (scripts/test installs both), with
 * its own throw-away profile, the browser console captured, and screenshots under target/screenshots.
 */
final class Browser implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    /**
     * Records every Content-Security-Policy violation of a document in the top window's list (a frame of
     * another origin keeps its own), as "directive blocked-uri source:line sample".
     */
    private static final String RECORD_CSP_VIOLATIONS = """
            (() => {
              let list;
              try { list = window.top.__cspViolations = window.top.__cspViolations || []; } catch (e) { list = window.__cspViolations = []; }
              document.addEventListener('securitypolicyviolation', e => list.push(
                `${e.effectiveDirective} ${e.blockedURI || '?'} ${e.sourceFile || ''}:${e.lineNumber} ${e.sample || ''}`.trim()), true);
            })();
            """;

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final String base;

    Browser(String base) {
        if (!new File(CHROMEDRIVER).canExecute() || !new File(CHROMIUM).canExecute()) {
            throw new IllegalStateException("console tests need Debian's chromium and chromium-driver "
                    + "(scripts/test installs them: apt-get install -y chromium chromium-driver)");
        }
        this.base = base;
        try {
            profile = Files.createTempDirectory("mailroom-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort()
                .withSilent(true).build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,800", "--lang=en-GB",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        // Runs in every document before its own scripts, frames included (outside the page's CSP).
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORD_CSP_VIOLATIONS));
        size(1280, 800);
    }

    /** Sets the viewport (not the window) to width × height CSS pixels, so screenshots have that size. */
    void size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        Object inner = js("return [window.innerWidth, window.innerHeight];");
        if (inner instanceof List<?> l && l.size() == 2) {
            int dw = width - ((Number) l.get(0)).intValue();
            int dh = height - ((Number) l.get(1)).intValue();
            if (dw != 0 || dh != 0) driver.manage().window().setSize(new Dimension(width + dw, height + dh));
        }
    }

    void open(String hashPath) {
        driver.get(base + "/" + hashPath);
    }

    /** Navigates inside the single-page console without reloading it. */
    void go(String hashPath) {
        js("location.hash = arguments[0];", hashPath.startsWith("#") ? hashPath : "#" + hashPath);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    WebElement await(String css) {
        return new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    WebElement awaitClickable(String css) {
        return new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)));
    }

    void awaitText(String css, String text) {
        new WebDriverWait(driver, Duration.ofSeconds(15))
                .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    void awaitTrue(String script, Duration timeout) {
        new WebDriverWait(driver, timeout).until(d -> Boolean.TRUE.equals(js(script)));
    }

    void type(String css, String text) {
        WebElement e = await(css);
        e.clear();
        e.sendKeys(text);
    }

    /** Signs in through the form, as a person would. */
    /**
     * Signs in with {@code key}. The console keeps its key for every tab until "Sign out", so a tab opened while
     * signed in with that key already is; a different key is signed in after signing the other out.
     */
    void signIn(String key) {
        open("");
        Object kept = js("return localStorage.getItem('mailroom.key');");
        if (key.equals(kept)) {
            await(".shell #main");
            return;
        }
        if (kept != null) {
            js("localStorage.removeItem('mailroom.key');");
            open("");
        }
        type("#api-key", key);
        find("#signin-form button[type=submit]").click();
        await(".shell #main");
    }

    /** Everything the page wrote to the browser console at SEVERE level since the last call. */
    List<LogEntry> severeLogs() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    }

    /** The CSP violations the top window (and its same-origin frames) saw since the last call; clears them. */
    @SuppressWarnings("unchecked")
    List<String> cspViolations() {
        Object v = js("const l = window.__cspViolations || []; const v = l.slice(); l.length = 0; return v;");
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }

    /** The browser's own time zone from now on (CDP), as if the machine ran in tz; "" restores the real one. */
    void timeZone(String tz) {
        driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", tz));
    }

    /** Cuts this tab off the network (every request fails as if the server were unreachable), or restores it. */
    void offline(boolean offline) {
        network(offline, 0);
    }

    /** Delays every response of this tab by ms (0: no delay). */
    void latency(int ms) {
        network(false, ms);
    }

    private void network(boolean offline, int latencyMs) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", offline, "latency", latencyMs,
                "downloadThroughput", -1, "uploadThroughput", -1));
    }

    /** Opens a new tab of the same browser (same origin storage) and switches to it; returns the old tab's handle. */
    String newTab(String hashPath) {
        String old = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.TAB);
        open(hashPath);
        return old;
    }

    private static String axeSource;

    /**
     * Runs axe-core (bundled in Deque's Selenium jar) over the current document, frames left out (the preview
     * frame holds the user's own email), and returns its serious and critical violations as
     * "rule (impact): help — target, target…".
     */
    @SuppressWarnings("unchecked")
    List<String> axeSeriousViolations() {
        if (axeSource == null) {
            try (InputStream in = Browser.class.getResourceAsStream("/axe.min.js")) {
                if (in == null) throw new IllegalStateException("axe.min.js is missing from the test class path");
                axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!Boolean.TRUE.equals(js("return !!window.axe;"))) js(axeSource);
        Object found = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { iframes: false, resultTypes: ['violations'] })
                  .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(' ')).slice(0, 6).join(', ')}`)))
                  .catch(e => done([`axe failed: ${e}`]));""");
        return found instanceof List<?> l ? (List<String>) l : List.of(String.valueOf(found));
    }

    /**
     * The page at both widths the console is built for: target/screenshots/PAGE-1280.png (1280×800) and
     * PAGE-390.png (a 390×844 phone). Leaves the viewport at 1280×800.
     */
    void screenshots(String page) {
        size(1280, 800);
        screenshot(page + "-1280");
        size(390, 844);
        screenshot(page + "-390");
        size(1280, 800);
    }

    /** Waits for pending requests to settle a moment, then writes target/screenshots/NAME.png. */
    Path screenshot(String name) {
        js("document.activeElement && document.activeElement.blur && document.activeElement.blur();");
        sleep(350);
        try {
            Files.createDirectories(SCREENSHOTS);
            Path to = SCREENSHOTS.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), to, StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a leftover temp profile is harmless
            }
        }
    }
}
