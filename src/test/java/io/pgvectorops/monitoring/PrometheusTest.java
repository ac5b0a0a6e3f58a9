package io.pgvectorops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.pgvectorops.PgvectorOpsApplication;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.testing.ApiClient;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.WebhookReceiver;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A daemon after one run of each kind, scraped: the pgvector_ops_ series pass `promtool check
 * metrics`; a real Prometheus (Debian's package, a child process) scrapes it with the shipped rules
 * loaded and returns the recall series through its query API; the shipped Grafana dashboard and
 * rules name only series the scrape has.
 */
@Slow
class PrometheusTest {
  static final String TOKEN = "prometheus-test-token-0123456789";
  static final Path MONITORING = Path.of("monitoring");
  static final Pattern METRIC = Pattern.compile("\\bpgvector_ops_[a-z0-9_]+");

  static TestPostgres.Database db;
  static DropwizardTestSupport<OpsConfiguration> app;
  static WebhookReceiver hook;
  static ApiClient api;
  static String scrape;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.newDatabase("prom");
    db.execute(
        "CREATE TABLE items (id bigserial PRIMARY KEY, embedding vector(16))",
        "INSERT INTO items (embedding) SELECT rv(16) FROM generate_series(1, 2000)",
        "CREATE INDEX items_hnsw ON items USING hnsw (embedding vector_l2_ops)",
        "CREATE TABLE chunks (id bigserial PRIMARY KEY, tier smallint NOT NULL DEFAULT 1,"
            + " last_accessed_at timestamptz NOT NULL, embedding vector(16) NOT NULL)",
        "INSERT INTO chunks (last_accessed_at, embedding)"
            + " SELECT now() - g * interval '1 day', rv(16) FROM generate_series(1, 100) g",
        "ANALYZE items");
    hook = new WebhookReceiver().start();
    Path dir = Files.createTempDirectory("prometheus-test");
    OpsFiles f = new OpsFiles(dir);
    f.writeConfig(
        OpsFiles.target("main", db),
        OpsFiles.state(db, "prom_state")
            + "api:\n  token: "
            + TOKEN
            + "\nscheduler:\n  name: prometheus-test\n"
            + "alerts:\n  webhooks:\n    - name: ops\n      url: "
            + hook.url()
            + "\n");
    String never = "schedule: '0 0 0 1 1 ?'\n";
    for (String kind : List.of("health", "bloat", "prewarm", "slow-queries")) {
      f.job(kind + ".yml", "name: " + kind + "\nkind: " + kind + "\n" + never);
    }
    f.job(
        "regression.yml",
        "name: regression\nkind: regression\n"
            + never
            + "params: {probes: 10, k: 10, repetitions: 1, sweep: false}\n");
    f.job(
        "rebuild.yml",
        "name: rebuild\nkind: index-rebuild\n"
            + never
            + "params:\n  indexes: [public.items_hnsw]\n  maxParallelWorkers: 0\n");
    f.job(
        "tiering.yml",
        "name: tiering\nkind: tiering\n"
            + never
            + "params:\n  tables:\n    - table: public.chunks\n      key: id\n"
            + "      tierColumn: tier\n      lastAccessColumn: last_accessed_at\n"
            + "      vectorColumn: embedding\n      tiers: {hot: 0, warm: 1, cold: 2}\n"
            + "      rules:\n        - {to: cold, notAccessedFor: 60d}\n");
    f.job(
        "check.yml",
        "name: check\nkind: sql-check\n"
            + never
            + "params:\n  query: SELECT 'x' AS k WHERE false\n  key: k\n");
    app =
        new DropwizardTestSupport<>(
            PgvectorOpsApplication.class,
            f.config().toString(),
            ConfigOverride.config("jobsDirectory", dir.resolve("jobs").toString()));
    app.before();
    api = new ApiClient("http://127.0.0.1:" + app.getLocalPort(), TOKEN);
    api.awaitRunsEnded("health");
    for (String job :
        List.of(
            "health",
            "slow-queries",
            "bloat",
            "prewarm",
            "regression",
            "rebuild",
            "tiering",
            "check")) {
      JsonNode run = api.awaitEnd(api.runNow(job));
      assertThat(run.get("status").asText()).as(job + ": " + run).isEqualTo("succeeded");
    }
    // the collector reads the state at most every 10 s
    scrape =
        await("a scrape with the recall series")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofSeconds(1))
            .until(PrometheusTest::scrapeNow, s -> s.contains("pgvector_ops_index_recall{"));
  }

  static String scrapeNow() throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.getAdminPort() + "/metrics/prometheus"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.after();
    }
    if (hook != null) {
      hook.close();
    }
  }

  @Test
  void everyKindsFiguresAreSeriesThatPromtoolFindsNothingWrongWith() throws Exception {
    double recall =
        api.get("/api/targets/main")
            .get("vectorIndexes")
            .get(0)
            .get("regression")
            .get("recall")
            .asDouble();
    // the rows the tiering run says it moved (those last accessed 60 days ago or more went cold)
    long moved =
        api.get("/api/jobs/tiering/runs")
            .get(0)
            .get("summary")
            .get("tables")
            .get(0)
            .get("moved")
            .get("cold")
            .asLong();
    assertThat(moved).isPositive();
    assertThat(scrape)
        .contains("pgvector_ops_target_up{target=\"main\"} 1.0")
        .contains(
            "pgvector_ops_index_recall{index=\"public.items_hnsw\",k=\"10\",target=\"main\"} "
                + recall)
        .contains("pgvector_ops_target_info{pgvector_version=\"")
        .contains("pgvector_ops_index_bloat_ratio{index=\"public.items_hnsw\",target=\"main\"}")
        .contains("pgvector_ops_index_residency_ratio{index=\"public.items_hnsw\",target=\"main\"}")
        .contains("pgvector_ops_index_last_rebuild_timestamp_seconds{")
        .contains(
            "pgvector_ops_job_runs_total{job=\"regression\",kind=\"regression\","
                + "outcome=\"succeeded\",target=\"main\"} 1.0")
        .contains("pgvector_ops_job_run_duration_seconds_bucket{job=\"bloat\"")
        .contains("pgvector_ops_job_last_run_success{job=\"rebuild\",kind=\"index-rebuild\"")
        .contains("pgvector_ops_outbox_pending_deliveries{channel=\"webhook:ops\"}")
        .contains("pgvector_ops_tiering_rows_moved_total{target=\"main\"} " + moved + ".0")
        .contains("pgvector_ops_job_last_run_success{job=\"check\",kind=\"sql-check\"")
        .contains("pgvector_ops_state_database_up 1.0")
        // no query text or ids as labels
        .doesNotContain("queryid")
        .doesNotContain("SELECT");

    Path ours = Files.createTempFile("pgvector-ops-metrics", ".txt");
    Files.writeString(
        ours,
        scrape
                .lines()
                .filter(l -> l.replaceFirst("^# (HELP|TYPE|UNIT) ", "").startsWith("pgvector_ops_"))
                .collect(Collectors.joining("\n"))
            + "\n");
    Process promtool =
        new ProcessBuilder("promtool", "check", "metrics")
            .redirectInput(ours.toFile())
            .redirectErrorStream(true)
            .start();
    String said = new String(promtool.getInputStream().readAllBytes());
    assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(said).as("promtool check metrics").isEmpty();
    assertThat(promtool.exitValue()).isZero();
  }

  @Test
  void aRealPrometheusScrapesTheDaemonAndAnswersTheRecallSeries() throws Exception {
    Path dir = Files.createTempDirectory("prometheus-server");
    int port = OpsFiles.freePort();
    Files.writeString(
        dir.resolve("prometheus.yml"),
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            + "rule_files: ['"
            + MONITORING.resolve("prometheus/pgvector-ops.rules.yml").toAbsolutePath()
            + "']\n"
            + "scrape_configs:\n  - job_name: pgvector-ops\n    metrics_path: /metrics/prometheus\n"
            + "    static_configs:\n      - targets: ['127.0.0.1:"
            + app.getAdminPort()
            + "']\n");
    Process prometheus =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    try {
      JsonNode result =
          await("Prometheus to have scraped the recall series")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .ignoreExceptions()
              .until(
                  () -> query(port, "pgvector_ops_index_recall{target=\"main\"}"),
                  r -> r.size() == 1);
      JsonNode sample = result.get(0);
      assertThat(sample.get("metric").get("index").asText()).isEqualTo("public.items_hnsw");
      assertThat(sample.get("metric").get("k").asText()).isEqualTo("10");
      assertThat(sample.get("metric").get("job").asText()).isEqualTo("pgvector-ops");
      double recall =
          api.get("/api/targets/main")
              .get("vectorIndexes")
              .get(0)
              .get("regression")
              .get("recall")
              .asDouble();
      assertThat(Double.parseDouble(sample.get("value").get(1).asText())).isEqualTo(recall);
      // the shipped rules loaded, and none fires on a healthy daemon
      // (each rule's health is "unknown" until its first evaluation)
      JsonNode rules =
          await("the rules evaluated")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> get(port, "/api/v1/rules").get("data").get("groups").get(0).get("rules"),
                  r -> {
                    for (JsonNode rule : r) {
                      if (rule.get("health").asText().equals("unknown")) {
                        return false;
                      }
                    }
                    return true;
                  });
      assertThat(rules).hasSize(6);
      assertThat(rules).allSatisfy(r -> assertThat(r.get("health").asText()).isEqualTo("ok"));
      assertThat(query(port, "ALERTS{alertstate=\"firing\"}")).isEmpty();
    } finally {
      prometheus.destroy();
      prometheus.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void theDashboardAndTheRulesNameOnlySeriesTheDaemonExposes() throws Exception {
    Set<String> exposed = new TreeSet<>();
    scrape
        .lines()
        .filter(l -> l.startsWith("pgvector_ops_"))
        .forEach(l -> exposed.add(l.replaceFirst("[{ ].*", "")));
    JsonNode dashboard = JSON.readTree(MONITORING.resolve("grafana/pgvector-ops.json").toFile());
    List<String> expressions = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> expressions.add(e.asText()));
    dashboard.findValues("definition").forEach(e -> expressions.add(e.asText()));
    assertThat(expressions).hasSizeGreaterThan(20);
    expressions.add(Files.readString(MONITORING.resolve("prometheus/pgvector-ops.rules.yml")));
    Set<String> named = new TreeSet<>();
    for (String e : expressions) {
      Matcher m = METRIC.matcher(e);
      while (m.find()) {
        named.add(m.group());
      }
    }
    assertThat(named).hasSizeGreaterThan(15);
    assertThat(named).as("exposed: " + exposed).allSatisfy(n -> assertThat(exposed).contains(n));
  }

  static JsonNode query(int port, String promql) throws Exception {
    return get(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
        .get("data")
        .get("result");
  }

  static JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
