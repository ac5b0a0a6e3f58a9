package io.pgvectorops.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.pgvectorops.PgvectorOpsApplication;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.testing.ApiClient;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP API of a whole daemon started on free ports against a real PostgreSQL. */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiTest {
  static final String TOKEN = "api-test-token-0123456789";
  static final TestPostgres.Database DB;
  static final Path DIR;

  static {
    try {
      DB = TestPostgres.newDatabase("api");
      DB.execute(
          "CREATE TABLE docs (id bigserial PRIMARY KEY, embedding vector(8))",
          "INSERT INTO docs (embedding) SELECT array_fill(random()::real, ARRAY[8])::vector FROM generate_series(1, 500)",
          "CREATE INDEX docs_hnsw ON docs USING hnsw (embedding vector_cosine_ops) WITH (m = 12, ef_construction = 40)",
          "CREATE INDEX docs_ivf ON docs USING ivfflat (embedding vector_l2_ops) WITH (lists = 4)",
          "ANALYZE docs");
      DIR = Files.createTempDirectory("api-test");
      OpsFiles f = new OpsFiles(DIR);
      f.writeConfig(
          OpsFiles.target("main", DB) + OpsFiles.deadTarget("down"),
          OpsFiles.state(DB, "api_state")
              + "api:\n  token: "
              + TOKEN
              + "\nscheduler:\n  name: api-test\n");
      f.job("health.yml", "name: health\nkind: health\nschedule: '0 0 0 1 1 ?'\n");
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final DropwizardAppExtension<OpsConfiguration> APP =
      new DropwizardAppExtension<>(
          PgvectorOpsApplication.class,
          DIR.resolve("config.yml").toString(),
          ConfigOverride.config("jobsDirectory", DIR.resolve("jobs").toString()));

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String authorization) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
    return json.readTree(r.body());
  }

  private JsonNode targetOnceChecked() throws Exception {
    return targetOnceChecked("main");
  }

  /** The start-up health run fills the inventory within seconds. */
  private JsonNode targetOnceChecked(String name) throws Exception {
    return await("target " + name + " checked")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> getJson("/api/targets/" + name), t -> !t.get("state").asText().equals("unknown"));
  }

  @Test
  void statusShowsTheTargetUpWithVersions() throws Exception {
    targetOnceChecked();
    JsonNode s = getJson("/api/status");
    assertThat(s.get("version").asText()).isNotBlank();
    assertThat(s.get("scheduler").get("state").asText()).isEqualTo("running");
    JsonNode t = s.get("targets").get(0);
    assertThat(s.get("targets").get(1).get("name").asText()).isEqualTo("down");
    assertThat(t.get("name").asText()).isEqualTo("main");
    assertThat(t.get("state").asText()).isEqualTo("up");
    assertThat(t.get("serverVersion").asText()).matches("\\d+\\.\\d+.*");
    assertThat(t.get("pgvectorVersion").asText()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(s.get("openFindings").has("critical")).isTrue();
    // the major's end of support, from the shipped catalogue (the test cluster runs 15)
    int major = Integer.parseInt(t.get("serverVersion").asText().split("\\.")[0]);
    assertThat(t.get("postgresSupportEnds").asText())
        .isEqualTo(
            io.pgvectorops.catalog.Advisories.shipped()
                .major(major)
                .orElseThrow()
                .endOfLife()
                .toString());
    assertThat(t.get("postgresSupported").asBoolean()).isTrue();
    // the target's page lists the advisories health found applying here (pgvector 0.8.0 with an
    // HNSW index), and the status names the same ones
    List<String> open = new java.util.ArrayList<>();
    targetOnceChecked("main").get("advisories").forEach(a -> open.add(a.get("object").asText()));
    assertThat(open).contains("pgvector:parallel-hnsw-build-overflow");
    List<String> listed = new java.util.ArrayList<>();
    t.get("advisories").forEach(a -> listed.add(a.asText()));
    assertThat(listed).containsExactlyInAnyOrderElementsOf(open);
  }

  @Test
  void aTargetThatIsDownIsReportedAndDoesNotAffectTheOthers() throws Exception {
    JsonNode down = targetOnceChecked("down");
    assertThat(down.get("state").asText()).isEqualTo("down");
    assertThat(down.get("error").asText()).contains("cannot connect").doesNotContain("password");
    assertThat(targetOnceChecked("main").get("state").asText()).isEqualTo("up");
    JsonNode critical = getJson("/api/findings?state=open&target=down");
    assertThat(critical)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.get("kind").asText()).isEqualTo("target-unreachable");
              assertThat(f.get("severity").asText()).isEqualTo("critical");
            });
  }

  @Test
  void targetInventoryListsVectorIndexesWithTheirOptionsAndSizes() throws Exception {
    JsonNode t = targetOnceChecked();
    JsonNode indexes = t.get("vectorIndexes");
    assertThat(indexes).hasSize(2);
    JsonNode hnsw = indexes.get(0);
    assertThat(hnsw.get("name").asText()).isEqualTo("docs_hnsw");
    assertThat(hnsw.get("method").asText()).isEqualTo("hnsw");
    assertThat(hnsw.get("opclass").asText()).isEqualTo("vector_cosine_ops");
    assertThat(hnsw.get("options").get("m").asText()).isEqualTo("12");
    assertThat(hnsw.get("options").get("ef_construction").asText()).isEqualTo("40");
    assertThat(hnsw.get("dimensions").asInt()).isEqualTo(8);
    assertThat(hnsw.get("rows").asLong()).isEqualTo(500);
    assertThat(hnsw.get("valid").asBoolean()).isTrue();
    JsonNode ivf = indexes.get(1);
    assertThat(ivf.get("method").asText()).isEqualTo("ivfflat");
    assertThat(ivf.get("options").get("lists").asText()).isEqualTo("4");
    // sizes are the server's own figures for these relations
    try (var c = DB.connect();
        var st = c.createStatement();
        var rs =
            st.executeQuery("SELECT pg_relation_size('docs_hnsw'), pg_relation_size('docs_ivf')")) {
      rs.next();
      assertThat(hnsw.get("sizeBytes").asLong()).isEqualTo(rs.getLong(1));
      assertThat(ivf.get("sizeBytes").asLong()).isEqualTo(rs.getLong(2));
    }
    assertThat(get("/api/targets").statusCode()).isEqualTo(200);
  }

  @Test
  void unknownNamesAre404AndBadParametersAre400AsJson() throws Exception {
    for (String path :
        new String[] {
          "/api/targets/nope", "/api/jobs/nope/runs", "/api/runs/999999", "/api/nothing"
        }) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(json.readTree(r.body()).get("code").asInt()).isEqualTo(404);
    }
    assertThat(json.readTree(get("/api/targets/nope").body()).get("message").asText())
        .contains("nope");
    for (String path :
        new String[] {
          "/api/jobs/health/runs?limit=x",
          "/api/jobs/health/runs?limit=0",
          "/api/findings?state=maybe",
          "/api/runs/abc"
        }) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(json.readTree(r.body()).get("message").asText()).isNotBlank();
    }
  }

  @Test
  void runNowNeedsTheTokenAndTheRunAppears() throws Exception {
    assertThat(post("/api/jobs/health/run", null).statusCode()).isEqualTo(401);
    assertThat(post("/api/jobs/health/run", "Bearer wrong-token-wrong-token").statusCode())
        .isEqualTo(401);
    assertThat(post("/api/jobs/nope/run", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
    assertThat(post("/api/jobs/health/run?target=elsewhere", "Bearer " + TOKEN).statusCode())
        .isEqualTo(400);
    new ApiClient("http://127.0.0.1:" + APP.getLocalPort(), TOKEN).awaitRunsEnded("health");
    HttpResponse<String> accepted = post("/api/jobs/health/run?target=main", "Bearer " + TOKEN);
    assertThat(accepted.statusCode()).isEqualTo(202);
    long id = json.readTree(accepted.body()).get("runId").asLong();
    JsonNode run =
        await("run " + id + " to end")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> getJson("/api/runs/" + id).get("run"),
                r -> !r.get("status").asText().equals("running"));
    assertThat(run.get("status").asText()).isEqualTo("succeeded");
    assertThat(run.get("trigger").asText()).isEqualTo("manual");
    assertThat(run.get("summary").get("vectorIndexes")).hasSize(2);
    JsonNode runs = getJson("/api/jobs/health/runs?limit=50");
    assertThat(runs.findValuesAsText("id")).contains(String.valueOf(id));
    JsonNode jobs = getJson("/api/jobs");
    assertThat(jobs.get(0).get("name").asText()).isEqualTo("health");
    assertThat(jobs.get(0).get("nextFireTime").asText())
        .startsWith(
            String.valueOf(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getYear() + 1));
    assertThat(jobs.get(0).get("lastRun").get("status").asText()).isNotBlank();
  }

  private HttpResponse<String> send(String method, String path, String authorization, String json)
      throws Exception {
    return new io.pgvectorops.testing.ApiClient("http://127.0.0.1:" + APP.getLocalPort(), TOKEN)
        .send(method, path, authorization, json);
  }

  @Test
  void theDownTargetFiresACriticalAlertThatASilenceMarksSilenced() throws Exception {
    targetOnceChecked("down");
    JsonNode firing = getJson("/api/alerts?state=firing");
    JsonNode down = null;
    for (JsonNode a : firing) {
      if (a.get("alert").get("target").asText().equals("down")) {
        down = a;
      }
    }
    assertThat(down).as(firing.toString()).isNotNull();
    assertThat(down.get("alert").get("kind").asText()).isEqualTo("target-unreachable");
    assertThat(down.get("alert").get("severity").asText()).isEqualTo("critical");
    assertThat(down.get("silenced").asBoolean()).isFalse();
    assertThat(down.get("deliveries").isArray()).isTrue(); // no channel configured in this test

    String until = Instant.now().plus(Duration.ofHours(1)).toString();
    String silence =
        "{\"target\": \"down\", \"kind\": \"target-unreachable\", \"endsAt\": \""
            + until
            + "\", \"comment\": \"planned maintenance\"}";
    assertThat(send("POST", "/api/silences", null, silence).statusCode()).isEqualTo(401);
    HttpResponse<String> created = send("POST", "/api/silences", "Bearer " + TOKEN, silence);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long id = json.readTree(created.body()).get("id").asLong();
    assertThat(getJson("/api/silences"))
        .anySatisfy(x -> assertThat(x.get("id").asLong()).isEqualTo(id));
    JsonNode again = getJson("/api/alerts?state=firing");
    for (JsonNode a : again) {
      if (a.get("alert").get("target").asText().equals("down")) {
        assertThat(a.get("silenced").asBoolean()).isTrue();
      }
    }
    // the status is at most a second old (one computation per second for every poller)
    await("the status counts the silence")
        .atMost(Duration.ofSeconds(3))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> getJson("/api/status").get("alerts").get("silenced").asInt() >= 1);
    assertThat(send("DELETE", "/api/silences/" + id, "Bearer " + TOKEN, null).statusCode())
        .isEqualTo(200);
    assertThat(send("DELETE", "/api/silences/" + id, "Bearer " + TOKEN, null).statusCode())
        .isEqualTo(404);
    assertThat(getJson("/api/silences?state=all"))
        .anySatisfy(
            x -> {
              assertThat(x.get("id").asLong()).isEqualTo(id);
              assertThat(x.get("expiredAt").isNull()).isFalse();
            });
  }

  @Test
  void malformedSilencesAreRefusedWithReasons() throws Exception {
    String auth = "Bearer " + TOKEN;
    String future = Instant.now().plus(Duration.ofHours(1)).toString();
    assertThat(send("POST", "/api/silences", auth, "{not json").statusCode()).isEqualTo(400);
    assertThat(
            send(
                    "POST",
                    "/api/silences",
                    auth,
                    "{\"target\": \"a\", \"endsAt\": \"" + future + "\", \"colour\": 1}")
                .statusCode())
        .isEqualTo(400);
    assertThat(
            send("POST", "/api/silences", auth, "{\"target\": 7, \"endsAt\": \"soon\"}")
                .statusCode())
        .isEqualTo(400);
    HttpResponse<String> past =
        send(
            "POST",
            "/api/silences",
            auth,
            "{\"target\": \"a\", \"endsAt\": \""
                + Instant.now().minus(Duration.ofHours(1))
                + "\"}");
    assertThat(past.statusCode()).isEqualTo(400);
    assertThat(json.readTree(past.body()).get("message").asText()).contains("endsAt");
    HttpResponse<String> matchesAll =
        send("POST", "/api/silences", auth, "{\"endsAt\": \"" + future + "\"}");
    assertThat(matchesAll.statusCode()).isEqualTo(400);
    assertThat(json.readTree(matchesAll.body()).get("message").asText()).contains("at least one");
    assertThat(
            send(
                    "POST",
                    "/api/silences",
                    auth,
                    "{\"target\": \""
                        + "x".repeat(2_000_000)
                        + "\", \"endsAt\": \""
                        + future
                        + "\"}")
                .statusCode())
        .isIn(400, 413);
  }

  @Test
  void testNotificationWithoutChannelsReportsNone() throws Exception {
    assertThat(post("/api/alerts/test", null).statusCode()).isEqualTo(401);
    HttpResponse<String> r = post("/api/alerts/test", "Bearer " + TOKEN);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json.readTree(r.body()).get("channels")).isEmpty();
    assertThat(get("/api/alerts?state=maybe").statusCode()).isEqualTo(400);
  }

  @Test
  void findingsEndpointAnswersBothStates() throws Exception {
    assertThat(getJson("/api/findings?state=open").isArray()).isTrue();
    assertThat(getJson("/api/findings?state=resolved").isArray()).isTrue();
  }

  @Test
  void adminPortHasHealthChecksAndPrometheusMetrics() throws Exception {
    targetOnceChecked();
    String base = "http://127.0.0.1:" + APP.getAdminPort();
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/healthcheck")).build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode checks = json.readTree(health.body());
    assertThat(checks.get("state-database").get("healthy").asBoolean()).isTrue();
    assertThat(checks.get("scheduler").get("healthy").asBoolean()).isTrue();
    assertThat(checks.get("target-main").get("healthy").asBoolean()).isTrue();
    HttpResponse<String> prom =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/metrics/prometheus")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(prom.statusCode()).isEqualTo(200);
    assertThat(prom.body())
        .contains("# TYPE pgvector_ops_job_run_duration_seconds histogram")
        .contains(
            "pgvector_ops_job_runs_total{job=\"health\",kind=\"health\",outcome=\"succeeded\",target=\"main\"}")
        .contains("pgvector_ops_target_up{target=\"main\"} 1.0")
        .contains("pgvector_ops_target_up{target=\"down\"} 0.0")
        .doesNotContain("jobs_health_main");
  }

  @Test
  void theDashboardIsServedAtTheRootWithAStrictContentPolicy() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("script-src 'self'")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe");
    assertThat(page.body()).contains("/ui/app.js");
    HttpResponse<String> script = get("/ui/app.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/javascript");
    // only the dashboard's own file names: nothing else on the class path is reachable
    for (String path :
        List.of(
            "/ui/nothing.js",
            "/ui/PgvectorOpsApplication.class",
            "/ui/..%2Fsql%2Fstore%2Frun_start.sql",
            "/ui/%2e%2e%2fconfig.yml")) {
      assertThat(get(path).statusCode()).as(path).isIn(400, 404);
    }
    // the dashboard asks the status whether to offer "run now"
    assertThat(getJson("/api/status").get("api").get("readOnly").asBoolean()).isFalse();
    // an index that no rebuild job has rebuilt says so
    assertThat(targetOnceChecked().get("vectorIndexes").get(0).get("lastRebuild").isNull())
        .isTrue();
  }
}
