package io.pgvectorops.bench;

import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * p50/p95 latency of KNN queries right after a server restart, without and with the prewarm job run
 * first. The OS page cache is dropped before each measurement when this process may (root), so
 * "cold" means cold disk reads; otherwise it says so. Usage: bench/prewarm [rows, default 50000]
 * [queries, default 50: the first ones after the restart]
 */
public final class PrewarmBench {
  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    TestPostgres.Database db = TestPostgres.newDatabase("bench_prewarm");
    db.execute(
        "SELECT setseed(0.3)",
        "CREATE TABLE items (id bigserial PRIMARY KEY, e vector(128))",
        "INSERT INTO items (e) SELECT (SELECT array_agg(random()::real) FROM generate_series(1, 128) WHERE g > 0)::vector"
            + " FROM generate_series(1, "
            + rows
            + ") g",
        "SET maintenance_work_mem = '512MB'",
        "CREATE INDEX items_hnsw ON items USING hnsw (e vector_l2_ops)",
        "VACUUM ANALYZE items");
    Path jobs = Files.createTempDirectory("bench-prewarm");
    Files.writeString(
        jobs.resolve("prewarm.yml"), "name: prewarm\nkind: prewarm\nschedule: '0 */5 * * * ?'\n");
    System.out.printf(
        "%d x 128-dim HNSW, %d KNN queries (LIMIT 10) right after a restart%n", rows, queries);
    System.out.printf("%-34s %9s %9s %9s%n", "", "p50 ms", "p95 ms", "max ms");
    List<Long> cold = measureAfterRestart(db, queries, null);
    print("without prewarm", cold);
    try (Components c = Stack.open(Stack.config(db, "bench_state", jobs), Clock.systemUTC())) {
      c.liveness.ensureHeld();
      // bytes of the index in shared_buffers after the prewarm, and its size
      long[][] loaded = new long[1][];
      List<Long> warm =
          measureAfterRestart(
              db,
              queries,
              () -> {
                Missing.succeeded(
                    "the prewarm job before the measured queries", Stack.runNow(c, "prewarm"));
                loaded[0] = residency(db);
              });
      print("with the prewarm job run first", warm);
      System.out.printf(
          "  (the prewarm loaded %.1f of %.1f MB of items_hnsw into shared_buffers: %.0f%%)%n",
          loaded[0][0] / 1048576.0,
          loaded[0][1] / 1048576.0,
          100.0 * loaded[0][0] / Math.max(1, loaded[0][1]));
      // the same queries again, no restart: index and table in shared_buffers, the limit
      List<Long> cached = measure(db, queries);
      print("warm (everything cached)", cached);
      System.out.printf(
          "p95 ratio without/with: %.1fx; with prewarm / warm: %.2fx (goal: within 1.2x)%n",
          (double) pct(cold, 95) / Math.max(1, pct(warm, 95)),
          (double) pct(warm, 95) / Math.max(1, pct(cached, 95)));
      new Missing()
          .unless(!cold.isEmpty(), "p95 without prewarm")
          .unless(!warm.isEmpty(), "p95 with prewarm")
          .unless(!cached.isEmpty(), "warm p95")
          .exit();
    }
  }

  /** Bytes of items_hnsw in shared_buffers, and the index's size. */
  static long[] residency(TestPostgres.Database db) {
    try {
      return new long[] {
        db.queryLong(
            "SELECT count(*) * current_setting('block_size')::bigint FROM pg_buffercache b"
                + " WHERE b.relfilenode = pg_relation_filenode('items_hnsw')"
                + " AND b.reldatabase = (SELECT oid FROM pg_database WHERE datname = current_database())"),
        db.queryLong("SELECT pg_relation_size('items_hnsw')")
      };
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("pg_buffercache: " + e.getMessage(), e);
    }
  }

  static List<Long> measureAfterRestart(TestPostgres.Database db, int queries, Runnable before)
      throws Exception {
    TestPostgres.restart();
    boolean dropped = dropOsCache();
    if (before != null) {
      before.run();
    }
    List<Long> micros = measure(db, queries);
    if (!dropped) {
      System.out.println(
          "(the OS page cache could not be dropped: reads came from memory, not disk)");
    }
    return micros;
  }

  /** The KNN queries' latencies, sorted, in microseconds. */
  static List<Long> measure(TestPostgres.Database db, int queries) throws Exception {
    List<Long> micros = new ArrayList<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      for (int i = 0; i < queries; i++) {
        long t = System.nanoTime();
        try (ResultSet rs =
            s.executeQuery(
                "SELECT id FROM items ORDER BY e <-> (SELECT e FROM items WHERE id = "
                    + (1 + (i * 7919L) % 1000)
                    + ") LIMIT 10")) {
          while (rs.next()) {
            // read the result
          }
        }
        micros.add((System.nanoTime() - t) / 1000);
      }
    }
    micros.sort(Long::compare);
    return micros;
  }

  static boolean dropOsCache() {
    try {
      new ProcessBuilder("sync").start().waitFor();
      Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  static void print(String label, List<Long> micros) {
    System.out.printf(
        "%-34s %9.2f %9.2f %9.2f%n",
        label,
        pct(micros, 50) / 1000.0,
        pct(micros, 95) / 1000.0,
        micros.get(micros.size() - 1) / 1000.0);
  }

  static long pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
