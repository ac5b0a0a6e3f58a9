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
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuild of one HNSW index: (a) REINDEX INDEX CONCURRENTLY under the server's default settings,
 * (b) the index-rebuild job (settings chosen per index). Reports both wall times, the ratio and
 * recall@10 after each (50 queries against exact search, ef_search 40). Usage: bench/rebuild [rows,
 * default 200000] [dimensions, default 128]
 */
public final class RebuildBench {
  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int dims = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    TestPostgres.Database db = TestPostgres.newDatabase("bench_rebuild");
    long t0 = System.nanoTime();
    db.execute(
        "SELECT setseed(0.1)",
        "CREATE TABLE items (id bigserial PRIMARY KEY, e vector(" + dims + "))",
        "INSERT INTO items (e) SELECT (SELECT array_agg(random()::real) FROM generate_series(1, "
            + dims
            + ") WHERE g > 0)::vector FROM generate_series(1, "
            + rows
            + ") g",
        "SET maintenance_work_mem = '1GB'",
        "CREATE TABLE queries AS SELECT id, e FROM items ORDER BY random() LIMIT 50",
        "VACUUM ANALYZE items");
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute("SET maintenance_work_mem = '1GB'");
      s.execute("CREATE INDEX items_hnsw ON items USING hnsw (e vector_l2_ops)");
    }
    System.err.printf("set up %d x %d in %.0f s%n", rows, dims, (System.nanoTime() - t0) / 1e9);
    Map<Long, Set<Long>> truth = exact(db);

    double a;
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT current_setting('maintenance_work_mem'), current_setting('max_parallel_maintenance_workers')")) {
      rs.next();
      String defaults =
          "maintenance_work_mem="
              + rs.getString(1)
              + ", max_parallel_maintenance_workers="
              + rs.getString(2);
      long start = System.nanoTime();
      s.execute("REINDEX INDEX CONCURRENTLY items_hnsw");
      a = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "%d x %d-dim HNSW (m=16, ef_construction=64) on this 2-core machine%n", rows, dims);
      System.out.printf("%-58s %10s %10s%n", "rebuild", "seconds", "recall@10");
      System.out.printf(
          "%-58s %10.1f %10.3f%n",
          "(a) REINDEX CONCURRENTLY, server defaults (" + defaults + ")", a, recall(db, truth));
    }
    Path jobs = Files.createTempDirectory("bench-rebuild");
    Files.writeString(
        jobs.resolve("rebuild.yml"),
        "name: rebuild\nkind: index-rebuild\nschedule: '0 0 3 * * ?'\n"
            + "params:\n  indexes: [public.items_hnsw]\n  vacuumAfter: false\n  statementTimeout: 2h\n");
    try (Components c = Stack.open(Stack.config(db, "bench_state", jobs), Clock.systemUTC())) {
      c.liveness.ensureHeld();
      JobDefinition job = c.catalog.get("rebuild").orElseThrow();
      long start = System.nanoTime();
      RunOutcome o =
          c.runner.run(job, c.targets.get("main").orElseThrow(), Trigger.manual, null, false);
      double b = (System.nanoTime() - start) / 1e9;
      @SuppressWarnings("unchecked")
      Map<String, Object> rebuilt =
          ((List<Map<String, Object>>) Summaries.of(o).get("rebuilt")).get(0);
      if (rebuilt.containsKey("error")) {
        throw new IllegalStateException(String.valueOf(rebuilt.get("error")));
      }
      System.out.printf(
          "%-58s %10.1f %10.3f%n",
          "(b) index-rebuild job " + rebuilt.get("settings"), b, recall(db, truth));
      System.out.printf("speed-up (a)/(b): %.1fx%n", a / b);
    }
    System.exit(0);
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
    return total == 0 ? 0 : (double) hits / (truth.size() * 10);
  }
}
