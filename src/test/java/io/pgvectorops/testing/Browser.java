package io.pgvectorops.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver. Nothing is downloaded: when the
 * packages are missing the test fails and says how to install them (bin/setup-browser), it never
 * skips.
 */
public final class Browser implements AutoCloseable {
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** Screenshots for a person to look at after the build. */
  public static final Path SHOTS = Path.of("target", "screenshots");

  public static final Dimension LAPTOP = new Dimension(1366, 900);
  public static final Dimension PHONE = new Dimension(390, 844);

  private final ChromeDriver driver;
  private final Path profile;

  public Browser() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "browser tests need Debian's chromium and chromium-driver packages ("
              + CHROMIUM
              + ", "
              + CHROMEDRIVER
              + "): run bin/setup-browser");
    }
    try {
      profile = Files.createTempDirectory("chromium-profile");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // background networking off: this machine has no internet and Chromium would keep trying
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    size(LAPTOP);
  }

  public ChromeDriver driver() {
    return driver;
  }

  public void size(Dimension d) {
    driver.manage().window().setSize(d);
  }

  public WebDriverWait waiting(Duration d) {
    return new WebDriverWait(driver, d);
  }

  /** Loads a dashboard address afresh and waits until its page has drawn from the API. */
  public void open(String url) {
    driver.get("about:blank");
    driver.get(url);
    awaitDrawn();
  }

  /** Waits until the page shown has drawn from the API (the dashboard marks #page when it has). */
  public void awaitDrawn() {
    waiting(Duration.ofSeconds(20))
        .until(
            d -> {
              Object ready =
                  ((org.openqa.selenium.JavascriptExecutor) d)
                      .executeScript(
                          "var p = document.getElementById('page'); return p ? p.dataset.ready || '' : ''");
              return ready != null && !ready.toString().isEmpty();
            });
  }

  /** Emulates the system's colour scheme ("light" or "dark") for prefers-color-scheme. */
  public void colorScheme(String scheme) {
    driver.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  /** axe-core's rules, read once from the test classpath (com.deque.html.axe-core:selenium). */
  private static String axeSource;

  /**
   * Runs axe-core's WCAG 2 A and AA rules (2.0, 2.1 and 2.2) on the page as shown now and returns
   * each violation as "rule (impact): help — selectors of the nodes", empty when there is none. The
   * script goes in through the driver, which the page's Content-Security-Policy does not govern.
   */
  @SuppressWarnings("unchecked")
  public List<String> axeViolations() {
    if (axeSource == null) {
      try (InputStream in = Browser.class.getResourceAsStream("/axe.min.js")) {
        if (in == null) {
          throw new IllegalStateException("axe.min.js is not on the test classpath");
        }
        axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    driver.executeScript(axeSource);
    Object result =
        driver.executeAsyncScript(
            "var done = arguments[arguments.length - 1];"
                + "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa',"
                + " 'wcag21a', 'wcag21aa', 'wcag22aa']}, resultTypes: ['violations']})"
                + ".then(function (r) { done(r.violations.map(function (v) {"
                + "  return v.id + ' (' + v.impact + '): ' + v.help + ' — '"
                + "    + v.nodes.slice(0, 5).map(function (n) { return n.target.join(' '); }).join(', ');"
                + "})); }).catch(function (e) { done(['axe failed: ' + e]); });");
    return (List<String>) result;
  }

  public Path screenshot(String name) {
    try {
      Files.createDirectories(SHOTS);
      // the whole page, not just the window: a person reading the screenshots sees every section
      Object h = driver.executeScript("return Math.ceil(document.documentElement.scrollHeight)");
      Dimension window = driver.manage().window().getSize();
      int height = Math.min(8000, Math.max(window.getHeight(), ((Number) h).intValue() + 100));
      driver.executeCdpCommand(
          "Emulation.setDeviceMetricsOverride",
          Map.of(
              "width",
              window.getWidth(),
              "height",
              height,
              "deviceScaleFactor",
              1,
              "mobile",
              window.getWidth() < 600));
      Path file = SHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Console errors and failed loads since the last call (the browser's log is read once). */
  public List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  public WebDriver.Navigation navigate() {
    return driver.navigate();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (var files = Files.walk(profile)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temporary profile left behind is harmless
      }
    }
  }
}
