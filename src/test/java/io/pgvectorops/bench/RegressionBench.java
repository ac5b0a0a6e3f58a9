package io.pgvectorops.bench;

import io.pgvectorops.jobs.regression.GroundTruthScanning;
import io.pgvectorops.jobs.regression.RegressionStore.Probe;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.sql.Jdbc;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.Summaries;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
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
 * job's total wall time, and the two ground-truth methods compared in database time, two ways:
 * server CPU (utime + stime of every process of the cluster, parallel workers included through the
 * postmaster's reaped-children times, from /proc) and executor time (pg_stat_statements, which
 * counts a parallel query's leader only). A method's ground-truth cost is its computing run minus
 * the cached run that follows on the same probe set (the measured queries are the same in both).
 *
 * <p>Then the scan against its limit, outside the job: the scan's statement read plainly (rows
 * fetched as the scan fetches them, nothing computed) and the ground truth itself (read, distances,
 * top-k) for 50 probes, alternated, median of five passes each after a warm-up, with wall time,
 * server CPU and this process's CPU for the pass. Exits 1 if a figure is missing.
 *
 * <p>Usage: bench/regression [rows, default 200000] [dimensions of random vectors, default 128, or
 * {@code real}: real embeddings, 384 dimensions]
 */
public final class RegressionBench {
  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    BenchVectors vectors = BenchVectors.of(args.length > 1 ? args[1] : "128");
    TestPostgres.Database db = TestPostgres.newDatabase("bench_regression");
    long t0 = System.nanoTime();
    vectors.load(db, rows, 0.2);
    db.execute("VACUUM ANALYZE items");
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("SET maintenance_work_mem = '1GB'");
      s.execute("CREATE INDEX items_hnsw ON items USING hnsw (e vector_l2_ops)");
    }
    System.err.printf(
        "set up %s in %.0f s%n", vectors.describe(rows), (System.nanoTime() - t0) / 1e9);

    Path jobs = Files.createTempDirectory("bench-regression");
    String common =
        "kind: regression\nschedule: '0 0 * * * ?'\nparams:\n  probes: 50\n  k: 10\n"
            + "  statementTimeout: 30m\n";
    Files.writeString(
        jobs.resolve("scan.yml"),
        "name: scan\n"
            + common
            + "  groundTruthMethod: scan\n  indexes: [{index: public.items_hnsw, label: scan}]\n");
    Files.writeString(
        jobs.resolve("naive.yml"),
        "name: naive\n"
            + common
            + "  groundTruthMethod: queries\n  indexes: [{index: public.items_hnsw, label: naive}]\n");
    try (Components c = Stack.open(Stack.config(db, "bench_state", jobs), Clock.systemUTC())) {
      c.liveness.ensureHeld();
      System.out.printf(
          "%s, HNSW (m=16, ef_construction=64), 50 probes, k=10, on this 2-core machine%n",
          vectors.describe(rows));
      System.out.printf(
          "%-40s %8s %8s %10s %10s %8s%n", "run", "job s", "server", "executor", "truth", "recall");
      System.out.printf("%-40s %8s %8s %10s %10s %8s%n", "", "wall", "CPU s", "s", "wall s", "");
      Run scanCold = run(db, c, "scan", "scan");
      Run scanCached = run(db, c, "scan", "scan");
      Run naiveCold = run(db, c, "naive", "naive");
      Run naiveCached = run(db, c, "naive", "naive");
      print("scan: ground truth computed (cold)", scanCold);
      print("scan: ground truth cached", scanCached);
      print("naive: ground truth computed (cold)", naiveCold);
      print("naive: ground truth cached", naiveCached);
      double scanCpu = scanCold.serverCpu - scanCached.serverCpu;
      double naiveCpu = naiveCold.serverCpu - naiveCached.serverCpu;
      double scanExec = scanCold.executorMs - scanCached.executorMs;
      double naiveExec = naiveCold.executorMs - naiveCached.executorMs;
      System.out.printf(
          "ground truth alone (computing run minus cached run): server CPU scan %.2f s, naive %.2f s"
              + " (naive/scan %.1fx); executor scan %.2f s, naive %.2f s (%.1fx); wall naive/scan %.1fx%n",
          scanCpu,
          naiveCpu,
          naiveCpu / scanCpu,
          scanExec / 1000,
          naiveExec / 1000,
          naiveExec / scanExec,
          (double) naiveCold.truthMillis / scanCold.truthMillis);
      System.out.printf(
          "rows read for the ground truth: scan %d (one pass), naive %d (a pass per probe)%n",
          scanCold.rowsScanned, naiveCold.rowsScanned);
      System.out.printf("sweep of the cached scan run: %s%n", scanCached.set.get("sweep"));
    }
    Limit limit = limit(db);
    System.out.println();
    System.out.printf(
        "the ground-truth scan against its limit: the same statement read plainly (binary, fetch"
            + " 2000, no arithmetic); median of 5 passes after one warm-up pass each, table cached%n");
    System.out.printf(
        "%-44s %8s %8s %8s %8s %8s%n", "pass", "rows", "MB", "wall s", "server", "daemon");
    System.out.printf("%-44s %8s %8s %8s %8s %8s%n", "", "", "", "", "CPU s", "CPU s");
    limit.plain.print("plain read of the vectors (the limit)");
    limit.truth.print("ground truth: read + distances + top-10");
    System.out.printf(
        "ground truth / plain read: wall %.2fx, server CPU %.2fx, daemon CPU %.2fx; goal 2x%n",
        limit.truth.wall / limit.plain.wall,
        limit.truth.serverCpu / limit.plain.serverCpu,
        limit.truth.daemonCpu / limit.plain.daemonCpu);
    new Missing()
        .unless(limit.plain.rows > 0 && limit.plain.wall > 0, "plain read")
        .unless(limit.truth.rows == limit.plain.rows && limit.truth.wall > 0, "ground truth")
        .exit();
  }

  /** One pass over the table (the median of five is reported). */
  private record Pass(long rows, long bytes, double wall, double serverCpu, double daemonCpu) {
    void print(String name) {
      System.out.printf(
          "%-44s %8d %8s %8.2f %8.2f %8.2f%n",
          name,
          rows,
          bytes == 0 ? "same" : String.format("%.1f", bytes / 1e6),
          wall,
          serverCpu,
          daemonCpu);
    }
  }

  private record Limit(Pass plain, Pass truth) {}

  /**
   * The plain read and the ground truth, alternated (warm-up pass of each first), on one connection
   * in one transaction each as the job does; 50 probes sampled from the table, k=10.
   */
  private static Limit limit(TestPostgres.Database db) throws Exception {
    List<Probe> probes = new java.util.ArrayList<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT e::text, ctid::text FROM items ORDER BY random() LIMIT 50")) {
      while (rs.next()) {
        probes.add(new Probe(rs.getString(1), rs.getString(2)));
      }
    }
    Jdbc jdbc = new Jdbc("bench", null);
    long postmaster = postmaster(db);
    long rows = db.queryLong("SELECT count(*) FROM items");
    List<Pass> plain = new java.util.ArrayList<>();
    List<Pass> truth = new java.util.ArrayList<>();
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      for (int i = 0; i < 6; i++) {
        Pass p =
            timed(
                postmaster,
                () -> {
                  GroundTruthScanning.Read r =
                      GroundTruthScanning.plain(jdbc, c, "public.items", "e");
                  return new long[] {r.rows(), r.bytes()};
                });
        c.commit();
        Pass t =
            timed(
                postmaster,
                () -> {
                  double[][] d = GroundTruthScanning.scan(jdbc, c, "public.items", "e", probes, 10);
                  return new long[] {d.length == probes.size() ? rows : 0, 0};
                });
        c.commit();
        if (i > 0) {
          plain.add(p);
          truth.add(t);
        }
      }
    }
    return new Limit(median(plain), median(truth));
  }

  private static Pass timed(long postmaster, java.util.concurrent.Callable<long[]> pass)
      throws Exception {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    double server0 = serverCpu(postmaster);
    long daemon0 = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long[] read = pass.call();
    double wall = (System.nanoTime() - start) / 1e9;
    return new Pass(
        read[0],
        read[1],
        wall,
        serverCpu(postmaster) - server0,
        (threads.getCurrentThreadCpuTime() - daemon0) / 1e9);
  }

  private static Pass median(List<Pass> passes) {
    List<Pass> byWall =
        passes.stream().sorted(java.util.Comparator.comparingDouble(Pass::wall)).toList();
    return byWall.get(byWall.size() / 2);
  }

  private record Run(
      double seconds,
      long truthMillis,
      long rowsScanned,
      boolean computed,
      double recall,
      double serverCpu,
      double executorMs,
      Map<String, Object> set) {}

  @SuppressWarnings("unchecked")
  private static Run run(TestPostgres.Database db, Components c, String job, String label)
      throws Exception {
    reset(db);
    long postmaster = postmaster(db);
    double cpu0 = serverCpu(postmaster);
    long start = System.nanoTime();
    RunOutcome o = Missing.succeeded("the regression job " + job, Stack.runNow(c, job));
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = serverCpu(postmaster) - cpu0;
    Map<String, Object> set =
        ((List<Map<String, Object>>) Summaries.of(o).get("probeSets"))
            .stream().filter(s -> s.get("label").equals(label)).findFirst().orElseThrow();
    Map<String, Object> truth = (Map<String, Object>) set.get("groundTruth");
    boolean computed = Boolean.TRUE.equals(truth.get("computed"));
    return new Run(
        seconds,
        computed ? ((Number) truth.get("millis")).longValue() : 0,
        computed ? ((Number) truth.get("rowsScanned")).longValue() : 0,
        computed,
        ((Number) set.get("recall")).doubleValue(),
        cpu,
        dbMillis(db, "regression/"),
        set);
  }

  private static void print(String name, Run r) {
    System.out.printf(
        "%-40s %8.2f %8.2f %10.2f %10s %8.3f%n",
        name,
        r.seconds,
        r.serverCpu,
        r.executorMs / 1000,
        r.computed ? String.format("%.2f", r.truthMillis / 1000.0) : "cached",
        r.recall);
  }

  private static long postmaster(TestPostgres.Database db) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return Long.parseLong(stat(rs.getLong(1))[1]);
    }
  }

  /**
   * Fields after the command name of /proc/PID/stat: [0] state, [1] ppid, ... [11] utime, [12]
   * stime, [13] cutime, [14] cstime.
   */
  private static String[] stat(long pid) throws java.io.IOException {
    String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    return line.substring(line.lastIndexOf(')') + 2).split(" ");
  }

  /** CPU seconds of the cluster: every child of the postmaster, and the children it has reaped. */
  private static double serverCpu(long postmaster) throws Exception {
    long ticks = 0;
    String[] pm = stat(postmaster);
    ticks +=
        Long.parseLong(pm[11])
            + Long.parseLong(pm[12])
            + Long.parseLong(pm[13])
            + Long.parseLong(pm[14]);
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String[] f = stat(Long.parseLong(p.getFileName().toString()));
          if (Long.parseLong(f[1]) == postmaster) {
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (java.io.IOException gone) {
          // the process ended meanwhile; the postmaster's reaped-children times have it
        }
      }
    }
    return ticks / 100.0; // USER_HZ is 100 on Linux
  }

  private static void reset(TestPostgres.Database db) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_statements_reset()");
    }
  }

  private static double dbMillis(TestPostgres.Database db, String tag) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT coalesce(sum(total_exec_time + total_plan_time), 0) FROM pg_stat_statements"
                    + " WHERE query LIKE '/* pgvector-ops:"
                    + tag
                    + "%'")) {
      rs.next();
      return rs.getDouble(1);
    }
  }
}
