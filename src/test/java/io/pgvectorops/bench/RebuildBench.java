package io.pgvectorops.bench;

import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.Summaries;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Rebuild of one HNSW index, five ways on the same table in one run: (a) REINDEX INDEX CONCURRENTLY
 * under the server's default settings; (b) the index-rebuild job as it runs against the installed
 * pgvector (on 0.6.0 to 0.8.1 its advisories keep HNSW builds serial); (c) the limit: an offline
 * CREATE INDEX (not concurrent) with the job's maintenance_work_mem and
 * max_parallel_maintenance_workers at the machine's cores; (d) the same offline build serial, the
 * limit under the installed pgvector's advisories; (e) the job with the parallel-build advisories
 * lifted (what it does on pgvector 0.8.2 or later), against (c). Each line has its wall time,
 * recall@10 (50 queries against exact search, ef_search 40) and, for the job, the time in each
 * phase of pg_stat_progress_create_index (sampled every 50 ms). Exits 1 if a line is missing.
 *
 * <p>Usage: bench/rebuild [rows, default 200000] [dimensions of random vectors, default 128, or
 * {@code real}: real embeddings, 384 dimensions] [--no-default: leave out (a), which at 1M rows
 * spills its graph out of 64 MB for a long time] [--job-and-limit: only (b) and the limit, timed on
 * the set-up's own build (maintenance_work_mem 4GB, every core): at 1M rows the five lines take
 * about an hour on 2 cores, these two about half]
 */
public final class RebuildBench {
  private static final String LIFTED =
      """
      pgvector:
        - {id: parallel-hnsw-build-locking, introducedIn: 0.6.0, fixedIn: 0.6.0,
           affects: parallel-hnsw-build, exposedWhen: hnsw-indexes, severity: info,
           summary: lifted for this benchmark, action: none, source: bench/rebuild}
        - {id: parallel-hnsw-build-overflow, introducedIn: 0.6.0, fixedIn: 0.6.0,
           affects: parallel-hnsw-build, exposedWhen: hnsw-indexes, severity: info,
           summary: lifted for this benchmark, action: none, source: bench/rebuild}
      """;

  private record Line(String name, double seconds, double recall, String phases) {}

  public static void main(String[] args) throws Exception {
    List<String> positional = new ArrayList<>(List.of(args));
    boolean jobAndLimit = positional.remove("--job-and-limit");
    boolean withDefault = !positional.remove("--no-default") && !jobAndLimit;
    int rows = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 200_000;
    BenchVectors vectors = BenchVectors.of(positional.size() > 1 ? positional.get(1) : "128");
    int cores = Runtime.getRuntime().availableProcessors();
    TestPostgres.Database db = TestPostgres.newDatabase("bench_rebuild");
    long t0 = System.nanoTime();
    vectors.load(db, rows, 0.1);
    db.execute(
        "CREATE TABLE queries AS SELECT id, e FROM items ORDER BY random() LIMIT 50",
        "VACUUM ANALYZE items");
    double setupBuild = offline(db, "4GB", cores);
    System.err.printf(
        "set up %s in %.0f s%n", vectors.describe(rows), (System.nanoTime() - t0) / 1e9);
    Map<Long, Set<Long>> truth = exact(db);
    String pgvector =
        db.queryString("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
    List<Line> lines = new ArrayList<>();
    if (jobAndLimit) {
      lines.add(
          new Line(
              "(c) offline CREATE INDEX, maintenance_work_mem=4GB, max_parallel_maintenance_workers="
                  + cores
                  + ": the limit (the set-up's build)",
              setupBuild,
              recall(db, truth),
              ""));
      Job job = job(db, false);
      lines.add(jobLine("(b) index-rebuild job, pgvector " + pgvector, job, db, truth));
      print(vectors.describe(rows), pgvector, cores, lines);
      System.out.printf(
          "job against the limit: (b)/(c) %.2fx; goal 1.25x%n", job.seconds / setupBuild);
      exit(lines);
    }

    if (withDefault) {
      String defaults =
          db.queryString(
              "SELECT 'maintenance_work_mem=' || current_setting('maintenance_work_mem')"
                  + " || ', max_parallel_maintenance_workers='"
                  + " || current_setting('max_parallel_maintenance_workers')");
      long start = System.nanoTime();
      db.execute("REINDEX INDEX CONCURRENTLY items_hnsw");
      lines.add(
          new Line(
              "(a) REINDEX CONCURRENTLY, server defaults (" + defaults + ")",
              (System.nanoTime() - start) / 1e9,
              recall(db, truth),
              ""));
    }
    Job serialJob = job(db, false);
    lines.add(jobLine("(b) index-rebuild job, pgvector " + pgvector, serialJob, db, truth));
    String mwm = serialJob.maintenanceWorkMem;
    // where no advisory keeps the job's build serial (pgvector 0.8.2 and later), (d) is only a
    // comparison, not a limit the job is held to
    boolean heldSerial = serialJob.settings.contains("max_parallel_maintenance_workers=0");
    db.execute("DROP INDEX items_hnsw");
    double parallel = offline(db, mwm, cores);
    lines.add(
        new Line(
            "(c) offline CREATE INDEX, maintenance_work_mem="
                + mwm
                + ", max_parallel_maintenance_workers="
                + cores
                + ": the limit",
            parallel,
            recall(db, truth),
            ""));
    db.execute("DROP INDEX items_hnsw");
    double serial = offline(db, mwm, 0);
    lines.add(
        new Line(
            "(d) offline CREATE INDEX, maintenance_work_mem="
                + mwm
                + (heldSerial
                    ? ", serial: the limit under pgvector " + pgvector + "'s advisories"
                    : ", serial: for comparison (no advisory holds pgvector "
                        + pgvector
                        + " to it)"),
            serial,
            recall(db, truth),
            ""));
    Job parallelJob = job(db, true);
    lines.add(
        jobLine("(e) index-rebuild job, parallel-build advisories lifted", parallelJob, db, truth));

    print(vectors.describe(rows), pgvector, cores, lines);
    Line a = withDefault ? lines.get(0) : null;
    if (a != null) {
      System.out.printf("speed-up (a)/(b): %.2fx%n", a.seconds / serialJob.seconds);
    }
    System.out.printf(
        "job against the limit: (b)/(c) %.2fx, (b)/(d) %.2fx (%s),"
            + " (e)/(c) %.2fx (same settings, parallel); goal 1.25x%n",
        serialJob.seconds / parallel,
        serialJob.seconds / serial,
        heldSerial ? "same settings, serial" : "the job parallel, (d) serial",
        parallelJob.seconds / parallel);
    exit(lines);
  }

  private static void print(String vectors, String pgvector, int cores, List<Line> lines) {
    System.out.printf(
        "%s, HNSW (m=16, ef_construction=64), pgvector %s, %d cores%n", vectors, pgvector, cores);
    System.out.printf("%-100s %9s %9s%n", "rebuild", "seconds", "recall@10");
    for (Line l : lines) {
      System.out.printf("%-100s %9.1f %9.3f%n", l.name, l.seconds, l.recall);
      if (!l.phases.isEmpty()) {
        System.out.println("      phases: " + l.phases);
      }
    }
  }

  private static void exit(List<Line> lines) {
    Missing missing = new Missing();
    for (Line l : lines) {
      missing.unless(l.seconds > 0 && !Double.isNaN(l.recall), l.name);
    }
    missing.exit();
  }

  private record Job(double seconds, String settings, String maintenanceWorkMem, String phases) {}

  /** A job's line: its settings after the name, recall of the index it left. */
  private static Line jobLine(
      String name, Job job, TestPostgres.Database db, Map<Long, Set<Long>> truth) throws Exception {
    return new Line(name + " " + job.settings, job.seconds, recall(db, truth), job.phases);
  }

  /**
   * One manual run of the index-rebuild job on items_hnsw (no VACUUM after it, so the line is the
   * rebuild alone), with the time in each build phase the server reported.
   */
  @SuppressWarnings("unchecked")
  private static Job job(TestPostgres.Database db, boolean lifted) throws Exception {
    Path dir = Files.createTempDirectory("bench-rebuild");
    Path jobs = dir.resolve("jobs");
    Files.createDirectories(jobs);
    Files.writeString(
        jobs.resolve("rebuild.yml"),
        "name: rebuild\nkind: index-rebuild\nschedule: '0 0 3 * * ?'\n"
            + "params:\n  indexes: [public.items_hnsw]\n  vacuumAfter: false\n"
            + "  statementTimeout: 6h\n  maxMaintenanceWorkMem: 4GB\n");
    var config = Stack.config(db, "bench_state", jobs);
    if (lifted) {
      Files.writeString(dir.resolve("lifted.yml"), LIFTED);
      config.advisoryFiles.add(dir.resolve("lifted.yml").toString());
    }
    try (Components c = Stack.open(config, Clock.systemUTC());
        PhaseClock phases = new PhaseClock(db)) {
      c.liveness.ensureHeld();
      JobDefinition job = c.catalog.get("rebuild").orElseThrow();
      long start = System.nanoTime();
      RunOutcome o =
          Missing.succeeded(
              "the index-rebuild job",
              c.runner.run(job, c.targets.get("main").orElseThrow(), Trigger.manual, null, false));
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Object> rebuilt =
          ((List<Map<String, Object>>) Summaries.of(o).get("rebuilt")).get(0);
      if (rebuilt.containsKey("error")) {
        throw new IllegalStateException(String.valueOf(rebuilt.get("error")));
      }
      Map<String, Object> settings = (Map<String, Object>) rebuilt.get("settings");
      return new Job(
          seconds,
          String.valueOf(settings),
          String.valueOf(settings.get("maintenance_work_mem")),
          phases.report(seconds));
    }
  }

  /** An offline build of items_hnsw with these settings; its wall time in seconds. */
  private static double offline(TestPostgres.Database db, String mwm, int workers)
      throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("SET maintenance_work_mem = '" + mwm + "'");
      s.execute("SET max_parallel_maintenance_workers = " + workers);
      long start = System.nanoTime();
      s.execute("CREATE INDEX items_hnsw ON items USING hnsw (e vector_l2_ops)");
      return (System.nanoTime() - start) / 1e9;
    }
  }

  /**
   * Samples pg_stat_progress_create_index every 50 ms on a thread of its own and adds up the time
   * per phase; what the server did not report as a phase (the job's own checks, session set-up, the
   * lock waits before the command shows up) is the rest of the job's wall time.
   */
  private static final class PhaseClock implements AutoCloseable {
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private final Connection connection;
    private final PreparedStatement phase;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    private long last = System.nanoTime();

    PhaseClock(TestPostgres.Database db) throws Exception {
      connection = db.connect();
      phase =
          connection.prepareStatement(
              "SELECT phase FROM pg_stat_progress_create_index WHERE relid = 'items'::regclass");
      sampler.scheduleAtFixedRate(this::sample, 0, 50, TimeUnit.MILLISECONDS);
    }

    /** The phase now; the time since the last sample counts for it. */
    private void sample() {
      long now = System.nanoTime();
      try (ResultSet rs = phase.executeQuery()) {
        if (rs.next()) {
          nanos.merge(rs.getString(1), now - last, Long::sum);
        }
      } catch (SQLException e) {
        nanos.put("sampling failed: " + e.getMessage(), 0L);
        sampler.shutdown();
      }
      last = now;
    }

    String report(double wallSeconds) throws Exception {
      close();
      StringBuilder out = new StringBuilder();
      long reported = 0;
      for (Map.Entry<String, Long> e : nanos.entrySet()) {
        reported += e.getValue();
        out.append(String.format("%s %.1f s; ", e.getKey(), e.getValue() / 1e9));
      }
      return out.append(String.format("outside any phase %.1f s", wallSeconds - reported / 1e9))
          .toString();
    }

    /** Stops sampling; what was sampled is read only after the sampler ended. */
    @Override
    public void close() throws Exception {
      sampler.shutdown();
      sampler.awaitTermination(1, TimeUnit.MINUTES);
      connection.close();
    }
  }

  static Map<Long, Set<Long>> exact(TestPostgres.Database db) throws Exception {
    Map<Long, Set<Long>> out = new java.util.HashMap<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET LOCAL enable_indexscan = off");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT q.id, n.id FROM queries q CROSS JOIN LATERAL"
                  + " (SELECT id FROM items i ORDER BY i.e <-> q.e LIMIT 10) n")) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getLong(2));
        }
      }
      c.commit();
    }
    return out;
  }

  static double recall(TestPostgres.Database db, Map<Long, Set<Long>> truth) throws Exception {
    int hits = 0;
    int total = 0;
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT q.id, n.id FROM queries q CROSS JOIN LATERAL (SELECT id FROM items i ORDER BY i.e <-> q.e LIMIT 10) n")) {
      while (rs.next()) {
        total++;
        hits += truth.get(rs.getLong(1)).contains(rs.getLong(2)) ? 1 : 0;
      }
    }
    return total == 0 ? Double.NaN : (double) hits / (truth.size() * 10);
  }
}
