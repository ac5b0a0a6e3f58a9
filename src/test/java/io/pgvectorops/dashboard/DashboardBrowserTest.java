package io.pgvectorops.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.pgvectorops.PgvectorOpsApplication;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.scheduler.JobRunner;
import io.pgvectorops.testing.ApiClient;
import io.pgvectorops.testing.Browser;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in real headless Chromium against a whole daemon whose data come from real job runs
 * (health, bloat, prewarm, regression, an index rebuild, regression again) on a real PostgreSQL
 * with pgvector. Every figure checked is compared with what the API answers.
 */
@Slow
class DashboardBrowserTest {
  static final String TOKEN = "dashboard-test-token-0123456789";
  static final String HNSW = "public.items_hnsw";
  static final String IVF = "public.items_ivf";

  static TestPostgres.Database db;
  static DropwizardTestSupport<OpsConfiguration> app;
  static Browser browser;
  static String base;
  static ApiClient api;

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.newDatabase("dash");
    db.execute(
        "CREATE TABLE items (id bigserial PRIMARY KEY, embedding vector(16))",
        "INSERT INTO items (embedding) SELECT rv(16) FROM generate_series(1, 3000)",
        "CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_l2_ops) WITH (m = 8, ef_construction = 32)",
        // another operator than the HNSW index's, so that each index serves its own probe queries
        "CREATE INDEX items_ivf ON items USING ivfflat (embedding vector_cosine_ops) WITH (lists = 30)",
        "ANALYZE items",
        "CREATE TABLE flags (id int PRIMARY KEY)");
    Path dir = Files.createTempDirectory("dashboard-test");
    OpsFiles f = new OpsFiles(dir);
    f.writeConfig(
        OpsFiles.target("main", db)
            + "    labels: {env: prod}\n"
            + OpsFiles.deadTarget("down")
            + "    labels: {env: dev, team: search}\n",
        OpsFiles.state(db, "dash_state")
            + "api:\n  token: "
            + TOKEN
            + "\nscheduler:\n  name: dashboard-test\n");
    String never = "schedule: '0 0 0 1 1 ?'\n";
    f.job("health.yml", "name: health\nkind: health\n" + never);
    f.job("bloat.yml", "name: bloat\nkind: bloat\n" + never + "targets: [main]\n");
    f.job(
        "prewarm.yml",
        "name: prewarm\nkind: prewarm\n"
            + never
            + "targets: [main]\nparams:\n  budgetShare: 0.5\n");
    f.job(
        "regression.yml",
        "name: regression\nkind: regression\n"
            + never
            + "targets: [main]\n"
            + "params: {probes: 20, k: 10, repetitions: 1}\n");
    // the writer the run-now test leaves open makes REINDEX CONCURRENTLY wait: give it time to be
    // seen
    f.job(
        "rebuild.yml",
        "name: rebuild\nkind: index-rebuild\n"
            + never
            + "targets: [main]\n"
            + "params:\n  indexes: ["
            + HNSW
            + "]\n  lockTimeout: 2m\n  maxParallelWorkers: 0\n");
    // a check whose table is gone: its runs fail, and the run page must show why
    f.job(
        "orders-check.yml",
        "name: orders-check\nkind: sql-check\n"
            + never
            + "targets: [main]\n"
            + "params:\n  query: SELECT id AS order_id FROM orders WHERE total < 0\n  key: order_id\n"
            + "  severity: warning\n  findingKind: negative-total\n  message: 'order {order_id} has a negative total'\n");
    // a check the tests raise and clear at will: a critical finding per row of flags
    f.job(
        "flags-check.yml",
        "name: flags-check\nkind: sql-check\n"
            + never
            + "targets: [main]\n"
            + "params:\n  query: SELECT id AS flag_id FROM flags\n  key: flag_id\n"
            + "  severity: critical\n  findingKind: flag-raised\n  message: 'flag {flag_id} is raised'\n");
    f.job("capacity.yml", "name: capacity\nkind: capacity\n" + never + "targets: [main]\n");
    f.job(
        "trial.yml",
        "name: trial\nkind: quantization-trial\n"
            + never
            + "targets: [main]\n"
            + "params:\n  index: "
            + HNSW
            + "\n  sampleRows: 2000\n  probes: 10\n  repetitions: 1\n");
    app =
        new DropwizardTestSupport<>(
            PgvectorOpsApplication.class,
            f.config().toString(),
            ConfigOverride.config("jobsDirectory", dir.resolve("jobs").toString()));
    app.before();
    base = "http://127.0.0.1:" + app.getLocalPort() + "/";
    api = new ApiClient("http://127.0.0.1:" + app.getLocalPort(), TOKEN);
    awaitChecked("main");
    awaitChecked("down");
    for (String job : List.of("bloat", "prewarm", "regression", "rebuild", "regression")) {
      assertThat(api.awaitEnd(api.runNow(job)).get("status").asText())
          .as(job)
          .isEqualTo("succeeded");
    }
    assertThat(api.awaitEnd(api.runNow("orders-check")).get("status").asText()).isEqualTo("failed");
    // ten days of the HNSW index growing by 10 KiB a day, then capacity forecasts from them
    for (int d = 10; d >= 1; d--) {
      db.execute(
          "INSERT INTO dash_state.vector_index_history (target, schema_name, index_name, day, rows,"
              + " size_bytes, table_bytes) VALUES ('main', 'public', 'items_hnsw', current_date - "
              + d
              + ", 3000, (SELECT pg_relation_size('items_hnsw')) - "
              + d
              + " * 10240, 1048576) ON CONFLICT DO NOTHING");
    }
    assertThat(api.awaitEnd(api.runNow("capacity")).get("status").asText()).isEqualTo("succeeded");
    assertThat(api.awaitEnd(api.runNow("trial")).get("status").asText()).isEqualTo("succeeded");
    browser = new Browser();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (app != null) {
      app.after();
    }
  }

  @AfterEach
  void noConsoleErrors() {
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
    browser.size(Browser.LAPTOP);
  }

  // ---- pages ------------------------------------------------------------------------------------

  @Test
  void overviewShowsTargetLabelsAndFiltersByThem() throws Exception {
    browser.open(base);
    assertThat(cell(row("main"), "labels")).isEqualTo("env=prod");
    assertThat(cell(row("down"), "labels")).isEqualTo("env=dev team=search");
    one("#target-filter").sendKeys("env=dev");
    assertThat(row("main").isDisplayed()).isFalse();
    assertThat(row("down").isDisplayed()).isTrue();
    one("#target-filter").sendKeys(",team=search");
    assertThat(row("down").isDisplayed()).isTrue();
    one("#target-filter").sendKeys("x");
    assertThat(row("down").isDisplayed()).isFalse();
    one("#target-filter").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    assertThat(row("main").isDisplayed()).isTrue();
    assertThat(row("down").isDisplayed()).isTrue();
  }

  /** The overview's row of a target, found afresh (the page re-renders every 15 s). */
  private static WebElement row(String target) {
    return one("#targets tr[data-target='" + target + "']");
  }

  @Test
  void overviewShowsTargetsAlertsFindingsAndJobsAsTheApiDoes() throws Exception {
    browser.open(base);
    JsonNode status = api.get("/api/status");
    for (JsonNode t : status.get("targets")) {
      WebElement row = one("#targets tr[data-target='" + t.get("name").asText() + "']");
      assertThat(cell(row, "state")).isEqualTo(t.get("state").asText());
      if (t.get("state").asText().equals("up")) {
        assertThat(cell(row, "server")).isEqualTo(t.get("serverVersion").asText());
        assertThat(cell(row, "pgvector")).isEqualTo(t.get("pgvectorVersion").asText());
      }
    }
    assertThat(one("#tile-targets .tile-value").getText()).isEqualTo("1 / 2");

    // the dead target's critical alert is firing, and shown with its severity
    JsonNode alerts = api.get("/api/alerts?state=firing");
    assertThat(alerts).isNotEmpty();
    long unsilenced =
        StreamSupport.stream(alerts.spliterator(), false)
            .filter(a -> !a.get("silenced").asBoolean() && !a.get("resolving").asBoolean())
            .count();
    assertThat(one("#tile-alerts .tile-value").getText()).isEqualTo(String.valueOf(unsilenced));
    for (JsonNode a : alerts) {
      WebElement row = one("#alerts tr[data-alert='" + a.get("alert").get("id").asText() + "']");
      assertThat(row.getText())
          .contains(a.get("alert").get("severity").asText(), a.get("alert").get("kind").asText());
    }

    // two criticals: the index answering with the wrong neighbours comes before the dead dev box
    assertThat(one("#alerts tr[data-alert]").getAttribute("data-kind"))
        .isEqualTo("recall-below-target");

    Map<String, Integer> byJob = new HashMap<>();
    api.get("/api/findings?state=open&limit=5000")
        .forEach(x -> byJob.merge(x.get("job").asText(), 1, Integer::sum));
    assertThat(byJob).isNotEmpty();
    List<WebElement> groups =
        browser.driver().findElements(By.cssSelector("#findings details[data-job]"));
    assertThat(groups).hasSize(byJob.size());
    for (WebElement g : groups) {
      assertThat(Integer.valueOf(g.getAttribute("data-count")))
          .as(g.getAttribute("data-job"))
          .isEqualTo(byJob.get(g.getAttribute("data-job")));
    }

    for (JsonNode j : api.get("/api/jobs")) {
      WebElement row = one("#jobs tr[data-job='" + j.get("name").asText() + "']");
      JsonNode last = j.get("lastRun");
      if (last.isNull()) {
        assertThat(cell(row, "last")).isEqualTo("never run");
      } else {
        assertThat(cell(row, "last")).startsWith(last.get("status").asText());
        assertThat(row.findElement(By.cssSelector("[data-key=last] a")).getAttribute("href"))
            .endsWith("#/run/" + last.get("id").asText());
      }
      assertThat(row.findElement(By.cssSelector("[data-key=next] time")).getAttribute("datetime"))
          .isEqualTo(j.get("nextFireTime").asText());
      assertThat(row.findElement(By.cssSelector("button.run-now")).isEnabled()).isTrue();
    }
    browser.screenshot("overview-laptop");
    browser.size(Browser.PHONE);
    browser.open(base);
    assertThat(one("#jobs").isDisplayed()).isTrue();
    assertNoHorizontalOverflow();
    browser.screenshot("overview-phone");
  }

  @Test
  void targetPageListsEveryVectorIndexWithTheApisFiguresAndSorts() throws Exception {
    browser.open(base + "#/target/main");
    JsonNode indexes = api.get("/api/targets/main").get("vectorIndexes");
    assertThat(indexes).hasSize(2);
    for (JsonNode i : indexes) {
      String q = i.get("schema").asText() + "." + i.get("name").asText();
      WebElement row = one("#indexes tr[data-index='" + q + "']");
      assertThat(cell(row, "size")).isEqualTo(bytes(i.get("sizeBytes").asLong()));
      assertThat(cell(row, "rows"))
          .isEqualTo(String.format(Locale.US, "%,d", i.get("rows").asLong()));
      assertThat(cell(row, "bloat")).isEqualTo(percent(i.get("bloat").get("ratio").asDouble()));
      assertThat(cell(row, "residency")).isEqualTo(percent(i.get("residency").asDouble()));
      assertThat(cell(row, "recall"))
          .isEqualTo(fixed(i.get("regression").get("recall").asDouble(), 3));
      assertThat(cell(row, "p95"))
          .isEqualTo(fixed(i.get("regression").get("p95Ms").asDouble(), 2) + " ms");
      if (q.equals(HNSW)) {
        assertThat(row.findElement(By.cssSelector("[data-key=rebuild] a")).getAttribute("href"))
            .endsWith("#/run/" + i.get("lastRebuild").get("runId").asText());
      } else {
        assertThat(i.get("lastRebuild").isNull()).isTrue();
        assertThat(cell(row, "rebuild")).isEqualTo("never");
      }
    }
    // the pgvector advisories open on this target, as the API lists them
    JsonNode advisories = api.get("/api/targets/main").get("advisories");
    assertThat(advisories).isNotEmpty();
    assertThat(browser.driver().findElements(By.cssSelector("#advisories tbody tr")))
        .hasSize(advisories.size());
    for (JsonNode a : advisories) {
      assertThat(one("#advisories").getText()).contains(a.get("object").asText());
    }
    // sorting by size: ascending, then descending, by the API's byte counts
    List<String> bySize = new ArrayList<>();
    indexes.forEach(i -> bySize.add(i.get("schema").asText() + "." + i.get("name").asText()));
    Map<String, Long> size = new HashMap<>();
    indexes.forEach(
        i ->
            size.put(
                i.get("schema").asText() + "." + i.get("name").asText(),
                i.get("sizeBytes").asLong()));
    bySize.sort((a, b) -> Long.compare(size.get(a), size.get(b)));
    WebElement sizeHead =
        browser.driver().findElements(By.cssSelector("#indexes th")).stream()
            .filter(th -> th.getText().startsWith("Size"))
            .findFirst()
            .orElseThrow();
    sizeHead.click();
    assertThat(sizeHead.getAttribute("aria-sort")).isEqualTo("ascending");
    assertThat(indexOrder()).containsExactlyElementsOf(bySize);
    sizeHead.click();
    List<String> descending = new ArrayList<>(bySize);
    java.util.Collections.reverse(descending);
    assertThat(indexOrder()).containsExactlyElementsOf(descending);
    browser.screenshot("target-laptop");
    browser.size(Browser.PHONE);
    browser.open(base + "#/target/main");
    assertNoHorizontalOverflow();
    browser.screenshot("target-phone");
  }

  @Test
  void indexPageChartsEveryMeasurementWithBaselineAndRebuildMarker() throws Exception {
    JsonNode series = api.get("/api/regression/main/" + HNSW);
    browser.open(base + "#/index/main/" + HNSW);
    JsonNode set = series.get("probeSets").get(0);
    int points = set.get("points").size();
    assertThat(points).as("regression ran before and after the rebuild").isGreaterThanOrEqualTo(2);
    WebElement section = one(".probe-set[data-label='" + set.get("label").asText() + "']");
    assertThat(section.getAttribute("data-points")).isEqualTo(String.valueOf(points));
    String recall = "#recall-" + set.get("id").asText();
    assertThat(browser.driver().findElements(By.cssSelector(recall + " circle.dot")))
        .hasSize(points);
    assertThat(
            browser
                .driver()
                .findElements(By.cssSelector("#latency-" + set.get("id").asText() + " circle.dot")))
        .hasSize(2 * points);
    // the baseline line and one rebuild marker, named as the API names them
    assertThat(set.get("baseline").isNull()).as(series.toString()).isFalse();
    assertThat(one(recall + " line.hline.base title").getAttribute("textContent"))
        .contains(fixed(set.get("baseline").get("recall").asDouble(), 3));
    // the target the latest run judged against, and what the probes were
    assertThat(set.get("points").get(points - 1).get("targetRecall").asDouble()).isEqualTo(0.95);
    assertThat(one(recall + " line.hline.target title").getAttribute("textContent"))
        .isEqualTo("target 0.950");
    assertThat(section.getText()).contains("stored rows with 5% noise");
    assertThat(series.get("rebuilds")).isNotEmpty();
    List<WebElement> markers =
        browser.driver().findElements(By.cssSelector(recall + " line.vline title"));
    assertThat(markers).hasSize(series.get("rebuilds").size());
    for (int i = 0; i < markers.size(); i++) {
      assertThat(markers.get(i).getAttribute("textContent"))
          .contains("run " + series.get("rebuilds").get(i).get("runId").asText());
    }
    // the latest measurement first in the table of measurements
    JsonNode latest = set.get("points").get(points - 1);
    WebElement firstRow = section.findElements(By.cssSelector("table.points tbody tr")).get(0);
    assertThat(
            firstRow.findElement(By.cssSelector("[data-key=recall]")).getAttribute("textContent"))
        .isEqualTo(fixed(latest.get("recall").asDouble(), 3));
    assertThat(firstRow.findElement(By.cssSelector("[data-key=p95]")).getAttribute("textContent"))
        .isEqualTo(fixed(latest.get("p95Ms").asDouble(), 2) + " ms");
    // the latest quantization trial of the index: a row per shape, as its run has them
    JsonNode trial = api.run(api.get("/api/jobs/trial").get("lastRun").get("id").asLong());
    JsonNode shapes = trial.get("summary").get("shapes");
    List<WebElement> trialRows =
        browser.driver().findElements(By.cssSelector("table.trial tbody tr"));
    assertThat(trialRows).hasSize(shapes.size());
    for (int i = 0; i < shapes.size(); i++) {
      assertThat(trialRows.get(i).getText())
          .contains(shapes.get(i).get("shape").asText())
          .contains(fixed(shapes.get(i).get("recall").asDouble(), 3));
    }
    assertThat(one("#trial-recommendation").getText())
        .isEqualTo("Recommendation: " + trial.get("summary").get("recommendation").asText());
    assertThat(one("#trial-half-m").getText())
        .isEqualTo("Half m: " + trial.get("summary").get("halfM").asText());
    browser.screenshot("index-hnsw-laptop");

    // IVFFlat with lists = 30 and probes = 1 misses neighbours: the page carries the job's advice
    browser.open(base + "#/index/main/" + IVF);
    JsonNode advice =
        StreamSupport.stream(api.get("/api/findings?state=open&target=main").spliterator(), false)
            .filter(
                x ->
                    x.get("kind").asText().equals("recall-below-target")
                        && x.get("object").asText().equals(IVF))
            .findFirst()
            .orElseThrow();
    assertThat(one("#advice").getText()).isEqualTo(advice.get("message").asText());
    browser.screenshot("index-ivfflat-laptop");
    browser.size(Browser.PHONE);
    browser.open(base + "#/index/main/" + HNSW);
    assertNoHorizontalOverflow();
    browser.screenshot("index-hnsw-phone");
  }

  @Test
  void runPageShowsSummaryAndFindingsOfARun() throws Exception {
    JsonNode lastRegression = api.get("/api/jobs/regression/runs?limit=1").get(0);
    JsonNode run = api.get("/api/runs/" + lastRegression.get("id").asText());
    browser.open(base + "#/run/" + lastRegression.get("id").asText());
    assertThat(one("#run-status").getText()).isEqualTo("succeeded");
    assertThat(one("#summary").getText()).contains(HNSW, IVF);
    // labelled for a person ("probeSets" reads "probe sets"); the JSON itself behind a toggle
    assertThat(one("#summary").getText()).contains("probe sets").doesNotContain("probeSets");
    assertThat(one("#summary-json pre").getAttribute("textContent")).contains("\"probeSets\"");
    // laid out as the regression kind declares: its labels in its order, each figure in its unit
    JsonNode summary = run.get("run").get("summary");
    List<String> labels = new ArrayList<>();
    for (JsonNode field : run.get("summaryLayout").get("fields")) {
      if (summary.has(field.get("key").asText())) {
        labels.add(field.get("label").asText());
      }
    }
    assertThat(
            browser.driver().findElements(By.cssSelector("#summary > dl > dt")).stream()
                .map(e -> e.getAttribute("textContent"))
                .toList())
        .containsExactlyElementsOf(labels);
    // each probe set nests records of its own (its sweep, its ground truth): one folded block,
    // headed by its names and first figures
    List<WebElement> sets =
        browser.driver().findElements(By.cssSelector("#summary .records > details.record"));
    assertThat(sets).hasSize(summary.get("probeSets").size());
    JsonNode first = summary.get("probeSets").get(0);
    assertThat(sets.get(0).findElement(By.tagName("summary")).getText())
        .isEqualTo(
            first.get("index").asText()
                + " · "
                + first.get("label").asText()
                + " · recall "
                + fixed(first.get("recall").asDouble(), 3)
                + " · p50 "
                + fixed(first.get("p50Ms").asDouble(), 2)
                + " ms · p95 "
                + fixed(first.get("p95Ms").asDouble(), 2)
                + " ms");
    sets.get(0).findElement(By.tagName("summary")).click();
    WebElement step = sets.get(0).findElement(By.cssSelector("table tbody tr"));
    JsonNode firstStep = first.get("sweep").get(0);
    assertThat(column(step, "recall")).isEqualTo(fixed(firstStep.get("recall").asDouble(), 3));
    assertThat(column(step, "p95")).isEqualTo(fixed(firstStep.get("p95Ms").asDouble(), 2) + " ms");
    browser.screenshot("run-regression-laptop");
  }

  @Test
  void runPageShowsTheErrorOfAFailedRun() throws Exception {
    JsonNode failed = api.get("/api/jobs/orders-check/runs?limit=1").get(0);
    assertThat(failed.get("error").asText()).contains("orders");
    browser.open(base + "#/run/" + failed.get("id").asText());
    assertThat(one("#run-status").getText()).isEqualTo("failed");
    assertThat(one("#run-error").getText()).isEqualTo(failed.get("error").asText());
    browser.screenshot("run-failed-laptop");
  }

  /**
   * "Run now" with the token starts a rebuild that waits behind an open writer; the run page shows
   * it running with the build's phase, then finished once the writer ends, without a reload.
   */
  @Test
  void runNowWithTheTokenStartsARunWhosePageFollowsItToTheEnd() throws Exception {
    int runsBefore = api.get("/api/jobs/rebuild/runs?limit=1000").size();
    try (Connection writer = db.connect()) {
      writer.setAutoCommit(false);
      writer.createStatement().execute("INSERT INTO items (embedding) SELECT rv(16)");
      browser.open(base);
      one("#jobs tr[data-job='rebuild'] button.run-now").click();
      one("#run-token").sendKeys(TOKEN);
      browser.screenshot("run-now-dialog");
      one("#run-submit").click();
      browser.waiting(Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("#/run/"));
      String id = browser.driver().getCurrentUrl().replaceAll(".*#/run/", "");
      assertThat(api.get("/api/jobs/rebuild/runs?limit=1000")).hasSize(runsBefore + 1);
      assertThat(api.get("/api/runs/" + id).get("run").get("trigger").asText()).isEqualTo("manual");
      // the page redraws every 2 s while the run runs: the build's phase appears as the API reports
      // it
      browser
          .waiting(Duration.ofSeconds(30))
          .until(d -> !d.findElements(By.id("progress-phase")).isEmpty());
      JsonNode progress = api.get("/api/runs/" + id).get("run").get("progress");
      assertThat(text("#run-status")).isEqualTo("running");
      assertThat(text("#progress-phase")).isEqualTo(progress.get("phase").asText());
      assertThat(progress.get("phase").asText()).startsWith("waiting for");
      browser.screenshot("run-rebuild-running");
      writer.rollback();
    }
    browser
        .waiting(Duration.ofSeconds(60))
        .ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(By.id("run-status")).getText().equals("succeeded"));
    assertThat(one("#summary").getText()).contains(HNSW);
    browser.screenshot("run-rebuild-finished");
    // the token stays for this tab: the next run starts without asking again
    browser.open(base);
    one("#jobs tr[data-job='health'] button.run-now").click();
    assertThat(browser.driver().findElements(By.id("run-token"))).isEmpty();
    one("#run-dialog button.secondary").click();
  }

  /** Without api.token the dashboard still shows everything and offers no run. */
  @Test
  void withoutATokenTheDashboardIsReadOnly() throws Exception {
    Path dir = Files.createTempDirectory("dashboard-ro");
    OpsFiles f = new OpsFiles(dir);
    f.writeConfig(
        OpsFiles.target("main", db),
        OpsFiles.state(db, "dash_ro_state") + "scheduler:\n  name: dashboard-read-only\n");
    f.job("health.yml", "name: health\nkind: health\nschedule: '0 0 0 1 1 ?'\n");
    DropwizardTestSupport<OpsConfiguration> readOnly =
        new DropwizardTestSupport<>(
            PgvectorOpsApplication.class,
            f.config().toString(),
            ConfigOverride.config("jobsDirectory", dir.resolve("jobs").toString()));
    readOnly.before();
    try {
      browser.open("http://127.0.0.1:" + readOnly.getLocalPort() + "/");
      assertThat(one("#token-state").getText()).contains("read-only");
      WebElement button = one("#jobs tr[data-job='health'] button.run-now");
      assertThat(button.isEnabled()).isFalse();
      assertThat(button.getAttribute("title")).contains("api.token");
      browser.screenshot("overview-read-only");
    } finally {
      readOnly.after();
    }
  }

  /**
   * With api.readAccess: token the dashboard asks for a token, refuses a wrong one, shows the role
   * of the one given, disables what that role may not do, and lists the audit trail.
   */
  @Test
  void whenReadsNeedATokenTheDashboardAsksForOneAndShowsItsRole() throws Exception {
    String viewer = "dashboard-viewer-token-0123456789";
    String operator = "dashboard-operator-token-012345678";
    Path dir = Files.createTempDirectory("dashboard-token");
    OpsFiles f = new OpsFiles(dir);
    f.writeConfig(
        OpsFiles.target("main", db),
        OpsFiles.state(db, "dash_token_state")
            + "api:\n  readAccess: token\n  tokens:\n"
            + "    - {name: oncall, token: "
            + viewer
            + ", role: viewer}\n    - {name: alice, token: "
            + operator
            + ", role: operator}\n"
            + "scheduler:\n  name: dashboard-token\n");
    f.job("health.yml", "name: health\nkind: health\nschedule: '0 0 0 1 1 ?'\n");
    DropwizardTestSupport<OpsConfiguration> guarded =
        new DropwizardTestSupport<>(
            PgvectorOpsApplication.class,
            f.config().toString(),
            ConfigOverride.config("jobsDirectory", dir.resolve("jobs").toString()));
    guarded.before();
    try {
      String root = "http://127.0.0.1:" + guarded.getLocalPort();
      ApiClient asOperator = new ApiClient(root, operator);
      asOperator.awaitEnd(asOperator.runNow("health"));

      browser.consoleErrors(); // what earlier tests left in the browser's log
      browser.open(root + "/");
      assertThat(one("h1").getText()).isEqualTo("Token needed");
      browser.screenshot("token-needed");
      one("#signin-token").sendKeys("not-a-token-anyone-has-here");
      one("#signin-submit").click();
      browser
          .waiting(Duration.ofSeconds(10))
          .until(d -> d.findElement(By.id("signin-error")).isDisplayed());
      assertThat(text("#signin-error")).isEqualTo("The API refused this token.");

      WebElement input = one("#signin-token");
      input.clear();
      input.sendKeys(viewer);
      one("#signin-submit").click();
      browser
          .waiting(Duration.ofSeconds(20))
          .ignoring(StaleElementReferenceException.class)
          .until(d -> !d.findElements(By.cssSelector("#jobs tr[data-job='health']")).isEmpty());
      assertThat(text("#caller")).contains("oncall").contains("viewer");
      WebElement button = one("#jobs tr[data-job='health'] button.run-now");
      assertThat(button.isEnabled()).isFalse();
      assertThat(button.getAttribute("title"))
          .isEqualTo("token 'oncall' has role viewer; this needs operator or above");
      browser.screenshot("overview-viewer");

      one("#audit-link").click();
      browser
          .waiting(Duration.ofSeconds(20))
          .ignoring(StaleElementReferenceException.class)
          .until(d -> !d.findElements(By.cssSelector("#audit tr[data-audit]")).isEmpty());
      JsonNode newest = new ApiClient(root, viewer).get("/api/audit").get(0);
      WebElement row = one("#audit tr[data-audit='" + newest.get("id").asText() + "']");
      assertThat(row.getText())
          .contains("run-now")
          .contains("/api/jobs/health/run")
          .contains("alice")
          .contains("operator")
          .contains("127.0.0.1")
          .contains("succeeded 202");
      browser.screenshot("audit");

      one("#forget-token").click();
      browser
          .waiting(Duration.ofSeconds(10))
          .until(d -> !d.findElements(By.id("signin")).isEmpty());
      assertThat(browser.consoleErrors()).allSatisfy(e -> assertThat(e).contains("401"));
    } finally {
      guarded.after();
    }
  }

  /** The target page's capacity section shows the capacity run's figures as the API has them. */
  @Test
  void theTargetPageShowsCapacityForecastsAndTheSizeHistoryAsTheApiHasThem() throws Exception {
    browser.open(base + "#/target/main");
    JsonNode run = api.get("/api/jobs/capacity/runs?limit=1").get(0);
    JsonNode summary = run.get("summary");
    assertThat(summary.get("forecasts").size()).isGreaterThanOrEqualTo(3);
    for (JsonNode fc : summary.get("forecasts")) {
      WebElement row =
          one(
              "#capacity-forecasts tr[data-object='"
                  + fc.get("object").asText()
                  + "'][data-limit='"
                  + fc.get("limit").asText()
                  + "']");
      assertThat(cell(row, "now")).isEqualTo(bytes(fc.get("bytesNow").asLong()));
      assertThat(cell(row, "limit")).isEqualTo(bytes(fc.get("limitBytes").asLong()));
      assertThat(cell(row, "crossing"))
          .isEqualTo(fc.get("crossing").isNull() ? "—" : fc.get("crossing").asText());
    }
    // the HNSW index rests on its 11 days (10 fed + today's health sample) and grows
    JsonNode hnsw = null;
    for (JsonNode i : summary.get("indexes")) {
      if (i.get("index").asText().equals(HNSW)) {
        hnsw = i;
      }
    }
    assertThat(hnsw.get("growthBytesPerDay").asDouble()).isGreaterThan(0);
    WebElement chart = one(".capacity-index[data-index='" + HNSW + "'] svg.chart");
    int samples = api.get("/api/targets/main/history?index=" + HNSW).size();
    assertThat(chart.findElements(By.cssSelector("circle.dot.s1"))).hasSize(samples);
    assertThat(chart.findElements(By.cssSelector("polyline.forecast"))).hasSize(1);
    if (summary.get("recommendations").isEmpty()) {
      assertThat(text("#capacity")).contains("No setting to change");
    } else {
      for (JsonNode r : summary.get("recommendations")) {
        WebElement row =
            one("#capacity-recommendations tr[data-setting='" + r.get("setting").asText() + "']");
        assertThat(cell(row, "current")).isEqualTo(r.get("current").asText());
        assertThat(cell(row, "recommended")).isEqualTo(r.get("recommended").asText());
      }
    }
    browser.screenshot("target-capacity");
  }

  /** The job page lists each target's next run, as {@code GET /api/jobs/{name}} gives it. */
  @Test
  void theJobPageShowsEachTargetsNextRun() throws Exception {
    JsonNode job = api.get("/api/jobs/health");
    browser.open(base + "#/job/health");
    List<WebElement> rows =
        browser
            .waiting(Duration.ofSeconds(10))
            .until(
                d ->
                    d.findElements(By.cssSelector("#schedule tbody tr")).size() == 2
                        ? d.findElements(By.cssSelector("#schedule tbody tr"))
                        : null);
    for (int i = 0; i < rows.size(); i++) {
      JsonNode t = job.get("perTarget").get(i);
      assertThat(rows.get(i).getText()).startsWith(t.get("target").asText());
      assertThat(t.get("nextFireTime").isNull()).isFalse();
    }
    assertThat(browser.consoleErrors()).isEmpty();
    browser.screenshot("job");
  }

  @Test
  void unknownNamesAndHostileNamesAreShownAsText() throws Exception {
    browser.open(
        base
            + "#/target/"
            + URLEncoder.encode("<img src=x onerror=alert(1)>", StandardCharsets.UTF_8)
                .replace("+", "%20"));
    assertThat(one("h1").getText()).isEqualTo("Not found");
    assertThat(browser.driver().findElements(By.cssSelector("#page img"))).isEmpty();
    // a 404 from the API is part of this page's flow: its console line is expected, nothing else is
    assertThat(browser.consoleErrors()).allSatisfy(e -> assertThat(e).contains("404"));
    // only the dashboard's own files are served under /ui/
    browser.driver().get(base + "ui/..%2Fconfig.yml");
    assertThat(browser.driver().getPageSource()).doesNotContain(TOKEN);
    browser.driver().get(base + "ui/app.js");
    assertThat(browser.driver().getPageSource()).contains("navigate");
    browser.consoleErrors();
  }

  // ---- the on-call paths
  // --------------------------------------------------------------------------

  /**
   * Every page, light and dark, at a laptop's and a phone's width: axe-core's WCAG 2 A and AA rules
   * find nothing. The overview, target, index and run pages are kept as the docs' screenshots.
   */
  @Test
  void everyPagePassesAxeCoreInLightAndDarkAtBothWidths() throws Exception {
    long run = api.get("/api/jobs/regression/runs?limit=1").get(0).get("id").asLong();
    Map<String, String> pages = new java.util.LinkedHashMap<>();
    pages.put("overview", "");
    pages.put("target", "#/target/main");
    pages.put("index", "#/index/main/" + IVF);
    pages.put("run", "#/run/" + run);
    pages.put("target-down", "#/target/down");
    pages.put("index-hnsw", "#/index/main/" + HNSW);
    pages.put("job", "#/job/regression");
    pages.put("audit", "#/audit");
    pages.put("not-found", "#/nope/x");
    List<String> docs = List.of("overview", "target", "index", "run");
    try {
      for (String scheme : List.of("light", "dark")) {
        browser.colorScheme(scheme);
        for (Dimension size : List.of(new Dimension(1400, 900), new Dimension(420, 860))) {
          browser.size(size);
          for (var p : pages.entrySet()) {
            browser.open(base + p.getValue());
            assertThat(browser.axeViolations())
                .as(p.getKey() + ", " + scheme + ", " + size.getWidth() + " px")
                .isEmpty();
            if (scheme.equals("light") && docs.contains(p.getKey())) {
              browser.screenshot("docs-" + p.getKey() + "-" + size.getWidth());
            }
          }
        }
      }
    } finally {
      browser.colorScheme("light");
    }
  }

  /** The alert's object page holds the fix: a dry run of the job that fixes it, shown in place. */
  @Test
  void anAlertLinksToItsIndexWhereTheFixIsPreviewedAsADryRun() throws Exception {
    browser.open(base);
    WebElement alert = one("#alerts tr[data-kind='recall-below-target'][data-target='main']");
    assertThat(alert.getText()).contains(IVF);
    alert.findElement(By.cssSelector("a.fix-link")).click();
    browser.awaitDrawn();
    assertThat(browser.driver().getCurrentUrl()).endsWith("#/index/main/" + IVF);
    WebElement fix = one("#fixes tr[data-kind='recall-below-target'][data-job='rebuild']");
    int runsBefore = api.get("/api/jobs/rebuild/runs?limit=1000").size();
    fix.findElement(By.cssSelector("button.preview-run")).click();
    String heading =
        browser
            .waiting(Duration.ofSeconds(60))
            .ignoring(StaleElementReferenceException.class)
            .until(
                d -> {
                  var h = d.findElements(By.cssSelector("#fix-preview h3"));
                  return h.isEmpty() || h.get(0).getText().contains("planning")
                      ? null
                      : h.get(0).getText();
                });
    JsonNode runs = api.get("/api/jobs/rebuild/runs?limit=1000");
    assertThat(runs).hasSize(runsBefore + 1);
    JsonNode dry = runs.get(0);
    assertThat(dry.get("dryRun").asBoolean()).as("a preview changes nothing").isTrue();
    assertThat(heading)
        .contains(dry.get("status").asText())
        .contains("run #" + dry.get("id").asText());
    assertThat(text("#fix-preview .preview-summary")).isNotBlank().contains(HNSW);
    browser.screenshot("fix-preview");
  }

  /** An operator silences an alert from the overview; the audit trail names the token. */
  @Test
  void anAlertIsSilencedFromTheDashboardAndTheAuditNamesWho() throws Exception {
    browser.open(base);
    // the object is taken as it is (a labelled probe set's carries "[label]", matched literally)
    one("#alerts tr[data-kind='recall-below-target'][data-target='main'] button.silence").click();
    one("#silence-comment").sendKeys("on it: the dev box is being rebuilt");
    browser.screenshot("silence-dialog");
    one("#silence-submit").click();
    browser
        .waiting(Duration.ofSeconds(10))
        .ignoring(StaleElementReferenceException.class)
        .until(
            d ->
                d.findElement(By.cssSelector("#alerts tr[data-kind='recall-below-target']"))
                    .getAttribute("class")
                    .contains("silenced"));
    JsonNode silence = api.get("/api/silences").get(0);
    try {
      assertThat(silence.get("target").asText()).isEqualTo("main");
      assertThat(silence.get("kind").asText()).isEqualTo("recall-below-target");
      assertThat(silence.get("objectPattern").asText()).isEqualTo(IVF);
      // the API's own matching says the alert is silenced, not only the page
      assertThat(
              StreamSupport.stream(api.get("/api/alerts?state=firing").spliterator(), false)
                  .filter(a -> a.get("alert").get("kind").asText().equals("recall-below-target"))
                  .findFirst()
                  .orElseThrow()
                  .get("silenced")
                  .asBoolean())
          .isTrue();
      assertThat(silence.get("comment").asText()).startsWith("on it");
      JsonNode audit = api.get("/api/audit?action=silence-create&limit=1").get(0);
      assertThat(audit.get("tokenName").asText()).isEqualTo("api.token");
      assertThat(audit.get("outcome").asText()).isEqualTo("succeeded");
      browser.open(base + "#/audit");
      new org.openqa.selenium.support.ui.Select(one("#audit-action"))
          .selectByValue("silence-create");
      browser.awaitDrawn();
      // only the one silence-create entry is left once the page has re-read the trail
      browser
          .waiting(Duration.ofSeconds(10))
          .until(d -> d.findElements(By.cssSelector("#audit tbody tr")).size() == 1);
      assertThat(text("#audit tbody tr")).contains("silence-create").contains("api.token");
    } finally {
      api.send("DELETE", "/api/silences/" + silence.get("id").asText(), "Bearer " + TOKEN, null);
    }
  }

  /**
   * A finding gone: its alert keeps firing for keepFiringFor, and the page says it is resolving.
   */
  @Test
  void anAlertWhoseFindingIsGoneIsShownResolvingWithItsEnd() throws Exception {
    db.execute("INSERT INTO flags VALUES (7)");
    assertThat(api.awaitEnd(api.runNow("flags-check")).get("status").asText())
        .isEqualTo("succeeded");
    db.execute("DELETE FROM flags");
    assertThat(api.awaitEnd(api.runNow("flags-check")).get("status").asText())
        .isEqualTo("succeeded");
    JsonNode flag =
        StreamSupport.stream(api.get("/api/alerts?state=firing").spliterator(), false)
            .filter(a -> a.get("alert").get("kind").asText().equals("flag-raised"))
            .findFirst()
            .orElseThrow();
    assertThat(flag.get("resolving").asBoolean()).isTrue();
    browser.open(base);
    WebElement row = one("#alerts tr[data-kind='flag-raised']");
    assertThat(cell(row, "state")).startsWith("resolving").contains("ends in 10 min");
    String ends =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC)
            .format(Instant.parse(flag.get("resolvesAt").asText()));
    assertThat(
            row.findElement(By.cssSelector("[data-key=state] span[title]")).getAttribute("title"))
        .contains("resolves at " + ends);
    assertThat(text("#tile-alerts")).contains("1 resolving");
  }

  /** A skipped run says why in the job's list, and skipped runs can be hidden. */
  @Test
  void aSkippedRunShowsItsReasonAndSkippedRunsCanBeHidden() throws Exception {
    try (Connection holder = db.connect();
        Statement s = holder.createStatement()) {
      s.execute("SELECT pg_advisory_lock(" + JobRunner.RUN_LOCK_CLASS + ", hashtext('prewarm'))");
      assertThat(api.awaitEnd(api.runNow("prewarm")).get("status").asText()).isEqualTo("skipped");
    }
    browser.open(base + "#/job/prewarm");
    WebElement skipped = one("#runs tr[data-status='skipped']");
    assertThat(cell(skipped, "reason")).contains("holds its lock on target main");
    one("#hide-skipped").click();
    assertThat(skipped.isDisplayed()).isFalse();
    one("#hide-skipped").click();
    assertThat(skipped.isDisplayed()).isTrue();
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static List<String> indexOrder() {
    return browser.driver().findElements(By.cssSelector("#indexes tbody tr")).stream()
        .map(r -> r.getAttribute("data-index"))
        .toList();
  }

  /** The page fits the width: nothing sideways beyond the window but inside scrolling tables. */
  private static void assertNoHorizontalOverflow() {
    Object over =
        browser
            .driver()
            .executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(((Number) over).intValue()).as("horizontal overflow in px").isLessThanOrEqualTo(0);
  }

  private static WebElement one(String css) {
    return browser
        .waiting(Duration.ofSeconds(10))
        .until(
            d -> {
              var found = d.findElements(By.cssSelector(css));
              return found.isEmpty() ? null : found.get(0);
            });
  }

  /**
   * The text of an element on a page that redraws itself: a redraw between find and read is
   * retried.
   */
  private static String text(String css) {
    return browser
        .waiting(Duration.ofSeconds(10))
        .ignoring(StaleElementReferenceException.class)
        .until(d -> d.findElement(By.cssSelector(css)).getText());
  }

  /**
   * The text of a row's cell by its key, as a person reads it (label of a stacked cell excluded).
   */
  private static String cell(WebElement row, String key) {
    return row.findElement(By.cssSelector("[data-key='" + key + "']"))
        .getAttribute("textContent")
        .strip();
  }

  /** The text of a row's cell under the column of this label. */
  private static String column(WebElement row, String label) {
    return row.findElement(By.cssSelector("td[data-label='" + label + "']"))
        .getAttribute("textContent")
        .strip();
  }

  // the dashboard's format.js, written again: the figures must read the same
  static String fixed(double v, int decimals) {
    return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
  }

  static String percent(double ratio) {
    return fixed(ratio * 100, 1) + "%";
  }

  static String bytes(long n) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? n + " B" : fixed(v, 1) + " " + units[u];
  }

  // ---- API --------------------------------------------------------------------------------------

  static void awaitChecked(String target) throws Exception {
    await(target + " checked")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !api.get("/api/targets/" + target).get("state").asText().equals("unknown"));
  }
}
