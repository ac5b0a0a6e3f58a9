package io.pgvectorops.bench;

import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.Summaries;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * VACUUM of a table with an HNSW index after 40% of its rows were deleted, two ways on two copies
 * of the same table in one run: VACUUM as it is, and the index-rebuild job, which rebuilds the
 * index concurrently first (rebuildBeforeVacuumDeadShare) and then vacuums (vacuumAfter, unless the
 * installed pgvector's vacuum is known to be wrong: then it says so and no vacuum figure is
 * printed). The index's size after each. Exits 1, printing no figure for it, when the job did not
 * rebuild.
 *
 * <p>Usage: bench/vacuum-after-deletes [rows, default 100000] [dimensions of random vectors,
 * default 128, or {@code real}]; PGVECTOR_OPS_TEST_SERVER=sid runs it on PostgreSQL 18 + pgvector
 * 0.8.7 in the Debian root.
 */
public final class VacuumAfterDeletesBench {
  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    BenchVectors vectors = BenchVectors.of(args.length > 1 ? args[1] : "128");
    TestPostgres.Database db = TestPostgres.newDatabase("bench_vacuum");
    vectors.load(db, rows, 0.3);
    db.execute(
        "ALTER TABLE items SET (autovacuum_enabled = off)",
        "CREATE TABLE copy (LIKE items INCLUDING ALL) WITH (autovacuum_enabled = off)",
        "INSERT INTO copy SELECT * FROM items",
        "SET maintenance_work_mem = '1GB'",
        "CREATE INDEX items_hnsw ON items USING hnsw (e vector_l2_ops)",
        "CREATE INDEX copy_hnsw ON copy USING hnsw (e vector_l2_ops)",
        "DELETE FROM items WHERE id % 5 < 2",
        "DELETE FROM copy WHERE id % 5 < 2");
    String pgvector =
        db.queryString("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
    String server = db.queryString("SHOW server_version");
    long t = System.nanoTime();
    db.execute("VACUUM copy");
    double plain = (System.nanoTime() - t) / 1e9;
    long plainSize = db.queryLong("SELECT pg_relation_size('copy_hnsw')");

    Path dir = Files.createTempDirectory("bench-vacuum");
    String job =
        "name: rebuild\nkind: index-rebuild\nschedule: '0 0 3 * * ?'\n"
            + "params: {minSize: 0B, minBloatRatio: 0.99, indexes: [], maxParallelWorkers: 0,"
            + " maxMaintenanceWorkMem: 1GB}\n";
    Map<String, Object> rebuilt;
    Object precautions;
    try (Components c = Stack.withJobs(db, "bench_vacuum_state", dir, Map.of("rebuild.yml", job))) {
      RunOutcome o = Stack.runNow(c, "rebuild");
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> done =
          o.status() == RunStatus.succeeded
              ? (List<Map<String, Object>>) Summaries.of(o).getOrDefault("rebuilt", List.of())
              : List.of();
      rebuilt =
          done.stream()
              .filter(r -> "public.items_hnsw".equals(r.get("index")) && r.get("error") == null)
              .findFirst()
              .orElse(null);
      @SuppressWarnings("unchecked")
      List<String> said =
          o.status() == RunStatus.succeeded
              ? (List<String>) Summaries.of(o).getOrDefault("precautions", List.of())
              : List.of();
      precautions = said.stream().filter(x -> x.startsWith("no VACUUM")).toList();
      if (rebuilt == null) {
        System.err.println(
            "the index-rebuild job did not rebuild public.items_hnsw: "
                + o.status()
                + " "
                + o.error()
                + " "
                + o.summary());
        System.exit(1);
      }
    }
    long rebuiltSize = db.queryLong("SELECT pg_relation_size('items_hnsw')");
    double seconds = ((Number) rebuilt.get("seconds")).doubleValue();
    Object vacuum = rebuilt.get("vacuumSeconds");
    System.out.printf(
        "bench/vacuum-after-deletes%n%s, HNSW (m 16, ef_construction 64), 40%% of the rows"
            + " deleted; PostgreSQL %s, pgvector %s%n",
        vectors.describe(rows), server, pgvector);
    System.out.printf("%-44s %10s %12s%n", "", "seconds", "index MiB");
    System.out.printf("%-44s %10.2f %12.1f%n", "VACUUM as it is", plain, plainSize / 1048576.0);
    System.out.printf(
        "%-44s %10.2f %12.1f%n",
        "index-rebuild: REINDEX CONCURRENTLY", seconds, rebuiltSize / 1048576.0);
    if (vacuum == null) {
      System.out.println(
          "  ... then no VACUUM: the installed pgvector's HNSW vacuum has an advisory (the job's"
              + " precautions: "
              + precautions
              + ")");
    } else {
      double v = ((Number) vacuum).doubleValue();
      System.out.printf("%-44s %10.2f%n", "  ... then VACUUM", v);
      System.out.printf(
          "rebuild + VACUUM: %.2f s against %.2f s (%.0f%%)%n",
          seconds + v, plain, 100 * (seconds + v) / plain);
    }
  }
}
