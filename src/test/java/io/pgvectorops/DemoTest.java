package io.pgvectorops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgvectorops.testing.ApiClient;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command on a fresh sandbox: within 60 s of the daemon answering, every shipped
 * job has a last run and slow-queries has judged the sandbox's slow KNN queries.
 */
@Slow
class DemoTest {
  static final String TOKEN = "demo-test-token-0123456789abcdef";

  @TempDir Path dir;

  @Test
  void theFirstMinuteShowsEveryKindsResult() throws Exception {
    int port = OpsFiles.freePort();
    ProcessBuilder pb =
        new ProcessBuilder("setsid", "bin/pgvector-ops", "demo")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("demo.log").toFile());
    pb.environment().put("PGVECTOR_OPS_PORT", String.valueOf(port));
    pb.environment().put("PGVECTOR_OPS_ADMIN_PORT", String.valueOf(OpsFiles.freePort()));
    // a fresh sandbox the postgres user can reach (a test's temporary folder is private)
    Path sandbox = Files.createTempDirectory(Path.of("/tmp"), "demo-sandbox-");
    Files.setPosixFilePermissions(
        sandbox, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    pb.environment().put("PGVECTOR_OPS_SANDBOX_DIR", sandbox.toString());
    pb.environment().put("PGVECTOR_OPS_API_TOKEN", TOKEN);
    long started = System.nanoTime();
    Instant startedAt = Instant.now();
    Process demo = pb.start();
    try {
      ApiClient api = new ApiClient("http://127.0.0.1:" + port, TOKEN);
      // a fresh sandbox loads its sample data first (about a minute on two cores)
      await("the demo's daemon to answer")
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> api.get("/api/status").get("targets").size() == 1);
      long up = System.nanoTime();
      List<String> shipped = shippedJobs();
      JsonNode jobs =
          await("a last run for every shipped job")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(() -> api.get("/api/jobs"), j -> allRanOnce(j, shipped, startedAt));
      long allRan = System.nanoTime();
      assertThat(jobs).hasSize(shipped.size());
      JsonNode seqScan =
          await("slow-queries' finding on the sandbox's slow KNN queries")
              .atMost(Duration.ofSeconds(60).minusNanos(allRan - up))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> api.get("/api/findings?state=open&target=sandbox"),
                  f -> find(f, "vector-table-seq-scan", "public.documents") != null);
      JsonNode finding = find(seqScan, "vector-table-seq-scan", "public.documents");
      assertThat(Instant.parse(finding.get("lastSeen").asText())).isAfter(startedAt);
      assertThat(finding.get("message").asText())
          .contains("SELECT id FROM documents ORDER BY embedding <-> ");
      realDataFaults(api);
      adviceWorksWhenApplied(api, Files.readString(dir.resolve("demo.log")));
      System.out.printf(
          "demo: daemon answering %.1f s after the demo started; every shipped job ran once %.1f s"
              + " after that%n",
          (up - started) / 1e9, (allRan - up) / 1e9);
      await("the demo to say so")
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(dir.resolve("demo.log")).contains("every shipped job has"));
      assertThat(Files.readString(dir.resolve("demo.log")))
          .doesNotContain("could not start")
          .doesNotContain("using /var/tmp");
    } finally {
      demo.destroy(); // SIGTERM: the script stops the daemon, then the sandbox
      if (!demo.waitFor(90, TimeUnit.SECONDS)) {
        demo.destroyForcibly();
      }
    }
    assertThat(Files.readString(dir.resolve("demo.log"))).contains("stopping the sandbox");
    new ProcessBuilder("rm", "-rf", sandbox.toString()).start().waitFor(60, TimeUnit.SECONDS);
  }

  /**
   * The demo's real embeddings: the HNSW index meets the target at the defaults on the users'
   * questions, and each deliberate fault is a finding: the application role's lowered ef_search
   * (with the value that reaches the target), the filtered search that starves, the IVFFlat index
   * grown tenfold that the planner no longer uses.
   */
  private static void realDataFaults(ApiClient api) throws Exception {
    JsonNode series = api.get("/api/regression/sandbox/public.documents_embedding_hnsw");
    double atDefaults = Double.NaN;
    for (JsonNode set : series.get("probeSets")) {
      if ("defaults".equals(set.get("label").asText())) {
        JsonNode points = set.get("points");
        atDefaults = points.get(points.size() - 1).get("recall").asDouble();
      }
    }
    System.out.printf("demo: recall@10 on the users' questions at the defaults %.3f%n", atDefaults);
    assertThat(atDefaults).isGreaterThanOrEqualTo(0.95);
    JsonNode open = api.get("/api/findings?state=open&target=sandbox&limit=500");
    JsonNode efSearch =
        find(open, "tuning-advice", "public.documents_embedding_hnsw [application]");
    assertThat(efSearch).as("advice for the application role's ef_search").isNotNull();
    assertThat(efSearch.get("message").asText()).contains("hnsw.ef_search = 10");
    assertThat(
            find(open, "filtered-search-starved", "public.documents_embedding_hnsw [category 7]"))
        .as("the category search starves")
        .isNotNull();
    JsonNode unused = find(open, "plan-not-using-index", "public.items_embedding_ivfflat");
    assertThat(unused).as("the grown IVFFlat index is not used").isNotNull();
    assertThat(unused.get("message").asText())
        .contains("here 2 for about 20000 rows: guidance 20")
        .contains("relistIvfflat");
  }

  /**
   * The advice of the demo's search faults, applied as an operator would: the application role's
   * ef_search the advice names, iterative scan for the database; the next search-recall run meets
   * the target through the role, and the category search no longer starves.
   */
  private static void adviceWorksWhenApplied(ApiClient api, String demoLog) throws Exception {
    JsonNode open = api.get("/api/findings?state=open&target=sandbox&limit=500");
    JsonNode advice = find(open, "tuning-advice", "public.documents_embedding_hnsw [application]");
    String suggested = advice.get("metrics").get("suggested").asText();
    Matcher port = Pattern.compile("sandbox PostgreSQL on 127\\.0\\.0\\.1:(\\d+)").matcher(demoLog);
    assertThat(port.find()).as(demoLog).isTrue();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port.group(1) + "/vectors", "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("ALTER ROLE search_app SET hnsw.ef_search = " + Integer.parseInt(suggested));
      s.execute("ALTER DATABASE vectors SET hnsw.iterative_scan = relaxed_order");
    }
    long id = api.runNow("search-recall");
    assertThat(api.awaitEnd(id).get("status").asText()).isEqualTo("succeeded");
    JsonNode ran = api.get("/api/runs/" + id).get("findings");
    assertThat(find(ran, "tuning-advice", "public.documents_embedding_hnsw [application]"))
        .as("no advice left for the application role: " + ran)
        .isNull();
    assertThat(find(ran, "filtered-search-starved", "public.documents_embedding_hnsw [category 7]"))
        .as("the category search no longer starves: " + ran)
        .isNull();
    JsonNode series = api.get("/api/regression/sandbox/public.documents_embedding_hnsw");
    for (JsonNode set : series.get("probeSets")) {
      if ("application".equals(set.get("label").asText())) {
        JsonNode points = set.get("points");
        double applied = points.get(points.size() - 1).get("recall").asDouble();
        System.out.printf(
            "demo: recall@10 through search_app at the advised ef_search %s: %.3f%n",
            suggested, applied);
        assertThat(applied).isGreaterThanOrEqualTo(0.95);
      }
    }
  }

  private static List<String> shippedJobs() throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("jobs"))) {
      for (Path f : files.sorted().toList()) {
        Files.readAllLines(f).stream()
            .filter(l -> l.startsWith("name: "))
            .findFirst()
            .ifPresent(l -> names.add(l.substring("name: ".length()).strip()));
      }
    }
    return names;
  }

  /** Every shipped job has a run that started after the demo did and has ended. */
  private static boolean allRanOnce(JsonNode jobs, List<String> shipped, Instant since) {
    List<String> ran = new ArrayList<>();
    jobs.forEach(
        j -> {
          JsonNode last = j.get("lastRun");
          if (last != null
              && !last.isNull()
              && !last.get("status").asText().equals("running")
              && Instant.parse(last.get("startedAt").asText()).isAfter(since)) {
            ran.add(j.get("name").asText());
          }
        });
    return ran.containsAll(shipped);
  }

  private static JsonNode find(JsonNode findings, String kind, String object) {
    for (JsonNode f : findings) {
      if (f.get("kind").asText().equals(kind) && f.get("object").asText().equals(object)) {
        return f;
      }
    }
    return null;
  }
}
