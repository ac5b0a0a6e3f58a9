package io.pgvectorops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgvectorops.testing.ApiClient;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.RunnableDocs;
import io.pgvectorops.testing.Slow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
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
    int adminPort = OpsFiles.freePort();
    pb.environment().put("PGVECTOR_OPS_ADMIN_PORT", String.valueOf(adminPort));
    // a fresh sandbox the postgres user can reach (a test's temporary folder is private)
    Path sandbox = Files.createTempDirectory(Path.of("/tmp"), "demo-sandbox-");
    Files.setPosixFilePermissions(
        sandbox, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    pb.environment().put("PGVECTOR_OPS_SANDBOX_DIR", sandbox.toString());
    pb.environment().put("PGVECTOR_OPS_API_TOKEN", TOKEN);
    int inboxPort = OpsFiles.freePort();
    pb.environment().put("PGVECTOR_OPS_DEMO_INBOX_PORT", String.valueOf(inboxPort));
    pb.environment().put("PGVECTOR_OPS_DEMO_SMTP_PORT", String.valueOf(OpsFiles.freePort()));
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
      quantizationTrialOfTheMainIndex(api, jobs);
      adviceWorksWhenApplied(api, Files.readString(dir.resolve("demo.log")));
      System.out.printf(
          "demo: daemon answering %.1f s after the demo started; every shipped job ran once %.1f s"
              + " after that%n",
          (up - started) / 1e9, (allRan - up) / 1e9);
      await("the demo to say so")
          .atMost(Duration.ofSeconds(30))
          .until(() -> Files.readString(dir.resolve("demo.log")).contains("every shipped job has"));
      tieringLeavesRowsForTheTourDryRun(api);
      alertsReachTheDemoInbox(sandbox, inboxPort);
      theReadmeTourHolds(
          Map.of("8080", port, "8081", adminPort, "8025", inboxPort),
          Files.readString(dir.resolve("demo.log")));
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
    assertThat(answers(inboxPort)).as("the demo inbox stopped with the demo").isFalse();
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
        find(open, "recall-below-target", "public.documents_embedding_hnsw [application]");
    assertThat(efSearch).as("advice for the application role's ef_search").isNotNull();
    assertThat(efSearch.get("message").asText()).contains("hnsw.ef_search = 10");
    assertThat(
            find(open, "filtered-search-starved", "public.documents_embedding_hnsw [category 7]"))
        .as("the category search starves")
        .isNotNull();
    // in the order the dashboard ranks them (critical first) the first problem is the worst real
    // one: the application's recall far below its target, critical
    List<JsonNode> ranked =
        StreamSupport.stream(open.spliterator(), false)
            .filter(x -> !x.get("severity").asText().equals("info"))
            .sorted(
                Comparator.<JsonNode>comparingInt(
                        x -> List.of("critical", "warning").indexOf(x.get("severity").asText()))
                    .thenComparingInt(x -> searchQualityFirst(x.get("kind").asText())))
            .toList();
    System.out.printf(
        "demo: problems ranked: %s%n",
        ranked.stream()
            .map(x -> x.get("severity").asText() + " " + x.get("kind").asText())
            .toList());
    assertThat(ranked.get(0).get("severity").asText()).isEqualTo("critical");
    assertThat(ranked.get(0).get("kind").asText())
        .as("the first problem shown: " + ranked.get(0))
        .isIn("recall-below-target", "plan-not-using-index");
    JsonNode unused = find(open, "plan-not-using-index", "public.items_embedding_ivfflat");
    assertThat(unused).as("the grown IVFFlat index is not used").isNotNull();
    assertThat(unused.get("message").asText())
        .contains("here 2 for about 20000 rows: guidance 20")
        .contains("relistIvfflat");
  }

  /** The dashboard's order within a severity (triage.js): wrong neighbours first. */
  private static int searchQualityFirst(String kind) {
    List<String> first =
        List.of(
            "recall-below-target", "plan-regression", "recall-regression", "plan-not-using-index");
    return first.contains(kind) ? first.indexOf(kind) : first.size();
  }

  /**
   * The advice of the demo's search faults, applied as an operator would: the application role's
   * ef_search the advice names, iterative scan for the database; the next search-recall run meets
   * the target through the role, and the category search no longer starves.
   */
  private static void adviceWorksWhenApplied(ApiClient api, String demoLog) throws Exception {
    JsonNode open = api.get("/api/findings?state=open&target=sandbox&limit=500");
    JsonNode advice =
        find(open, "recall-below-target", "public.documents_embedding_hnsw [application]");
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
    assertThat(find(ran, "recall-below-target", "public.documents_embedding_hnsw [application]"))
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

  /**
   * The tour's step 5: after the demo's own tiering run has moved what there was, its application
   * reads some rows again and stops reading others, so a reader's dry run shows rows to move, and
   * moves none.
   */
  private static void tieringLeavesRowsForTheTourDryRun(ApiClient api) throws Exception {
    JsonNode table =
        await("a tiering dry run with rows to move")
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofSeconds(5))
            .until(
                () -> {
                  JsonNode run = api.awaitEnd(api.dryRun("tiering"));
                  assertThat(run.get("status").asText()).isEqualTo("succeeded");
                  return run.get("summary").get("tables").get(0);
                },
                t -> sum(t.get("wouldMove")) > 0);
    System.out.printf("demo: a tiering dry run would move %s%n", table.get("wouldMove"));
    assertThat(table.get("moved")).as("a dry run moves nothing").isNull();
  }

  /**
   * The tour's step 4: the demo's alerts are delivered, by webhook and by email, to the inbox the
   * demo runs beside the daemon, whose page lists them.
   */
  private static void alertsReachTheDemoInbox(Path sandbox, int inboxPort) throws Exception {
    Path log = sandbox.resolve("deliveries.log");
    String delivered =
        await("a webhook and an email in the demo inbox")
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> Files.exists(log) ? Files.readString(log) : "",
                d -> d.contains("webhook: firing") && d.contains("email to oncall@demo.invalid"));
    System.out.printf("demo: the inbox received%n%s", delivered);
    String page =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + inboxPort + "/"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(page).contains("webhook: firing").contains("email to oncall@demo.invalid");
  }

  /**
   * Each command block of the README's tour ({@code sh demo}), run as a reader would in a second
   * terminal (the demo's ports as this test chose them), shows what the expectation under it says.
   */
  private static void theReadmeTourHolds(Map<String, Integer> ports, String demoLog)
      throws Exception {
    Matcher sandboxPort =
        Pattern.compile("sandbox PostgreSQL on 127\\.0\\.0\\.1:(\\d+)").matcher(demoLog);
    assertThat(sandboxPort.find()).as(demoLog).isTrue();
    List<RunnableDocs.Block> blocks = RunnableDocs.of(Path.of("README.md"));
    assertThat(blocks).as("the tour's command blocks").hasSizeGreaterThanOrEqualTo(8);
    List<String> untrue = new ArrayList<>();
    for (RunnableDocs.Block b : blocks) {
      assertThat(b.expectations()).as(b.where() + " has an expectation").isNotEmpty();
      String command = b.command();
      for (Map.Entry<String, Integer> p : ports.entrySet()) {
        command = command.replace("127.0.0.1:" + p.getKey(), "127.0.0.1:" + p.getValue());
      }
      ProcessBuilder pb =
          new ProcessBuilder("bash", "-c", command).redirectError(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("PGVECTOR_OPS_API_TOKEN", TOKEN);
      pb.environment().put("SANDBOX_PORT", sandboxPort.group(1));
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(5, TimeUnit.MINUTES)).as(b.where()).isTrue();
      for (RunnableDocs.Expectation e : b.expectations()) {
        String wrong = e.check(p.exitValue(), out);
        if (wrong != null) {
          untrue.add(b.where() + " (" + e.kind() + " " + e.argument() + "): " + wrong + "\n" + out);
        }
      }
    }
    System.out.printf("demo: %d command blocks of the README's tour hold%n", blocks.size());
    assertThat(untrue).as("tour claims that do not hold").isEmpty();
  }

  private static boolean answers(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static long sum(JsonNode counts) {
    long n = 0;
    for (JsonNode v : counts) {
      n += v.asLong();
    }
    return n;
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

  /**
   * The demo's quantization-trial on its main index: the current shape, half m where the regression
   * job left room, halfvec and binary_quantize + re-rank, each with its size, build time, recall@10
   * and p95 on the users' questions.
   */
  private static void quantizationTrialOfTheMainIndex(ApiClient api, JsonNode jobs)
      throws Exception {
    JsonNode job = null;
    for (JsonNode j : jobs) {
      job = j.get("name").asText().equals("quantization-trial") ? j : job;
    }
    assertThat(job).as("the demo's quantization-trial job").isNotNull();
    JsonNode run = api.run(job.get("lastRun").get("id").asLong());
    assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("succeeded");
    JsonNode summary = run.get("summary");
    assertThat(summary.get("index").asText()).isEqualTo("public.documents_embedding_hnsw");
    assertThat(summary.get("probeSource").asText()).startsWith("probeSql");
    List<String> shapes = new ArrayList<>();
    for (JsonNode shape : summary.get("shapes")) {
      shapes.add(shape.get("shape").asText());
      for (String figure : List.of("sampleIndexBytes", "buildSeconds", "recall", "p95Ms")) {
        assertThat(shape.get(figure)).as(shape + " " + figure).isNotNull();
      }
      System.out.printf(
          "demo: quantization-trial %-26s %,11d B on the sample, build %.2f s, recall@10 %.3f at"
              + " ef_search %d, p95 %.2f ms%n",
          shape.get("shape").asText(),
          shape.get("sampleIndexBytes").asLong(),
          shape.get("buildSeconds").asDouble(),
          shape.get("recall").asDouble(),
          shape.get("efSearch").asInt(),
          shape.get("p95Ms").asDouble());
    }
    // half m only where the regression job had measured the index with recall to spare: the demo
    // starts every job at once, so whether it had depends on which ran first
    String halfM = summary.get("halfM").asText();
    System.out.println("demo: quantization-trial: half m " + halfM);
    assertThat(shapes)
        .containsExactlyElementsOf(
            halfM.startsWith("tried")
                ? List.of("current", "half m", "halfvec", "binary_quantize + re-rank")
                : List.of("current", "halfvec", "binary_quantize + re-rank"));
    System.out.println("demo: quantization-trial: " + summary.get("recommendation").asText());
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
