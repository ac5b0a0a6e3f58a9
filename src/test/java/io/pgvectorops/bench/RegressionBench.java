package io.pgvectorops.bench;

import io.pgvectorops.Components;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * One regression run on an HNSW index with 50 probes: ground truth cold (computed) and cached, the
 * job's total wall time, and the two ground-truth methods compared in database time (pg_stat_statements:
 * executor + planner time of the job's tagged statements) and wall time.
 * The naive method's database time is its run's ann_query time minus that of the cached run that
 * follows it on the same probe set (the measured queries are the same in both).
 * Usage: bench/regression [rows, default 200000] [dimensions, default 128]
 */
public final class RegressionBench {
  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int dims = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    TestPostgres.Database db = TestPostgres.newDatabase("bench_regression");
    long t0 = System.nanoTime();
    db.execute("SELECT setseed(0.2)",
        "CREATE TABLE items (id bigserial PRIMARY KEY, e vector(" + dims + "))",
        "INSERT INTO items (e) SELECT (SELECT array_agg(random()::real) FROM generate_series(1, " + dims
            + ") WHERE g > 0)::vector FROM generate_series(1, " + rows + ") g",
        "VACUUM ANALYZE items");
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("SET maintenance_work_mem = '1GB'");
      s.execute("CREATE INDEX items_hnsw ON items USING hnsw (e vector_l2_ops)");
    }
    System.err.printf("set up %d x %d in %.0f s%n", rows, dims, (System.nanoTime() - t0) / 1e9);

    Path jobs = Files.createTempDirectory("bench-regression");
    String common = "kind: regression\nschedule: '0 0 * * * ?'\nparams:\n  probes: 50\n  k: 10\n"
        + "  statementTimeout: 30m\n";
    Files.writeString(jobs.resolve("scan.yml"), "name: scan\n" + common
        + "  groundTruthMethod: scan\n  indexes: [{index: public.items_hnsw, label: scan}]\n");
    Files.writeString(jobs.resolve("naive.yml"), "name: naive\n" + common
        + "  groundTruthMethod: queries\n  indexes: [{index: public.items_hnsw, label: naive}]\n");
    try (Components c = Stack.open(Stack.config(db, "bench_state", jobs), Clock.systemUTC())) {
      c.liveness.ensureHeld();
      System.out.printf("%d x %d-dim HNSW (m=16, ef_construction=64), 50 probes, k=10, on this 2-core machine%n",
          rows, dims);
      System.out.printf("%-44s %10s %14s %16s %10s%n", "run", "job s", "truth wall s", "truth db s", "recall");
      Run scanCold = run(db, c, "scan", "scan");
      Run scanCached = run(db, c, "scan", "scan");
      Run naiveCold = run(db, c, "naive", "naive");
      Run naiveCached = run(db, c, "naive", "naive");
      double scanDb = scanCold.scanDbMs;
      double naiveDb = naiveCold.annDbMs - naiveCached.annDbMs;
      print("scan: ground truth computed (cold)", scanCold, scanDb);
      print("scan: ground truth cached", scanCached, Double.NaN);
      print("naive: ground truth computed (cold)", naiveCold, naiveDb);
      print("naive: ground truth cached", naiveCached, Double.NaN);
      System.out.printf("ground truth, database time naive/scan: %.1fx; wall time naive/scan: %.1fx%n",
          naiveDb / scanDb, (double) naiveCold.truthMillis / scanCold.truthMillis);
      System.out.printf("rows read for the ground truth: scan %d (one pass), naive %d (a pass per probe)%n",
          scanCold.rowsScanned, naiveCold.rowsScanned);
      System.out.printf("sweep of the cached scan run: %s%n", scanCached.set.get("sweep"));
    }
    System.exit(0);
  }

  private record Run(double seconds, long truthMillis, long rowsScanned, boolean computed, double recall,
      double scanDbMs, double annDbMs, Map<String, Object> set) {}

  @SuppressWarnings("unchecked")
  private static Run run(TestPostgres.Database db, Components c, String job, String label) throws Exception {
    reset(db);
    long start = System.nanoTime();
    RunOutcome o = c.runner.run(c.catalog.get(job).orElseThrow(), c.targets.get("main").orElseThrow(),
        Trigger.manual, null, false);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (o.error() != null) {
      throw new IllegalStateException(o.error());
    }
    Map<String, Object> set = ((List<Map<String, Object>>) o.summary().get("probeSets")).stream()
        .filter(s -> s.get("label").equals(label)).findFirst().orElseThrow();
    Map<String, Object> truth = (Map<String, Object>) set.get("groundTruth");
    boolean computed = Boolean.TRUE.equals(truth.get("computed"));
    return new Run(seconds, computed ? ((Number) truth.get("millis")).longValue() : 0,
        computed ? ((Number) truth.get("rowsScanned")).longValue() : 0, computed,
        ((Number) set.get("recall")).doubleValue(), dbMillis(db, "regression/scan_vectors"),
        dbMillis(db, "regression/ann_query"), set);
  }

  private static void print(String name, Run r, double truthDbMs) {
    System.out.printf("%-44s %10.2f %14s %16s %10.3f%n", name, r.seconds,
        r.computed ? String.format("%.2f", r.truthMillis / 1000.0) : "cached",
        Double.isNaN(truthDbMs) ? "-" : String.format("%.2f", truthDbMs / 1000.0), r.recall);
  }

  private static void reset(TestPostgres.Database db) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_statements_reset()");
    }
  }

  private static double dbMillis(TestPostgres.Database db, String tag) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT coalesce(sum(total_exec_time + total_plan_time), 0) FROM pg_stat_statements"
            + " WHERE query LIKE '/* pgvector-ops:" + tag + " */%'")) {
      rs.next();
      return rs.getDouble(1);
    }
  }
}
