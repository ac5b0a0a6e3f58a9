package io.pgvectorops.bench;

import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Demoting N rows (default 1,000,000) to a cold tier: the tiering job (batches of 1000) against one
 * naive UPDATE ... WHERE, each with a concurrent writer updating random rows; reports rows/s and
 * the longest the writer waited. Usage: bench/tiering [rows, default 1000000]
 */
public final class TieringBench {
  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    TestPostgres.Database db = TestPostgres.newDatabase("bench_tiering");
    String setup =
        "CREATE TABLE %s (id bigserial PRIMARY KEY, tier smallint NOT NULL DEFAULT 0,"
            + " last_accessed_at timestamptz NOT NULL, e vector(8));"
            + " INSERT INTO %s (last_accessed_at, e) SELECT now() - interval '200 days', '[1,2,3,4,5,6,7,8]'"
            + " FROM generate_series(1, "
            + rows
            + ");"
            + " VACUUM ANALYZE %s";
    for (String t : new String[] {"naive", "batched"}) {
      for (String stmt : setup.formatted(t, t, t).split(";")) {
        db.execute(stmt);
      }
    }
    System.out.printf(
        "demote %d rows to the cold tier, a writer updating random rows meanwhile%n", rows);
    System.out.printf("%-36s %10s %10s %18s%n", "", "seconds", "rows/s", "longest write ms");
    measure(
        db,
        "naive",
        rows,
        "single UPDATE ... WHERE (naive)",
        () -> {
          try {
            db.execute(
                "UPDATE naive SET tier = 2 WHERE last_accessed_at < now() - interval '90 days' AND tier <> 2");
            return null;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    Path jobs = Files.createTempDirectory("bench-tiering");
    Files.writeString(
        jobs.resolve("tiering.yml"),
        "name: tiering\nkind: tiering\nschedule: '0 */10 * * * ?'\n"
            + "params:\n  batchSize: 1000\n  pause: 1ms\n  maxRuntime: 1h\n  tables:\n"
            + "    - {table: batched, lastAccessColumn: last_accessed_at, vectorColumn: e,"
            + " tiers: {hot: 0, cold: 2}, rules: [{to: cold, notAccessedFor: 90d}]}\n");
    try (Components c = Stack.open(Stack.config(db, "bench_state", jobs), Clock.systemUTC())) {
      c.liveness.ensureHeld();
      measure(
          db,
          "batched",
          rows,
          "tiering job (batches of 1000)",
          () -> Missing.succeeded("the tiering job", Stack.runNow(c, "tiering")));
    }
    MISSING.exit();
  }

  static void measure(
      TestPostgres.Database db, String table, int rows, String label, Supplier<Object> move)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong slowest = new AtomicLong();
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              // one row per statement, by primary key: the id is drawn here, not by random() in SQL
              // (per row)
              java.util.Random random = new java.util.Random(42);
              try (Connection c = db.connect();
                  java.sql.PreparedStatement s =
                      c.prepareStatement(
                          "UPDATE " + table + " SET e = '[8,7,6,5,4,3,2,1]' WHERE id = ?")) {
                while (!stop.get()) {
                  long t = System.nanoTime();
                  s.setLong(1, 1 + random.nextInt(rows));
                  s.executeUpdate();
                  slowest.accumulateAndGet((System.nanoTime() - t) / 1_000_000, Math::max);
                  Thread.sleep(5);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    long start = System.nanoTime();
    Object result = move.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    stop.set(true);
    writer.join();
    if (result instanceof RunOutcome o && o.error() != null) {
      throw new IllegalStateException(o.error());
    }
    System.out.printf("%-36s %10.1f %10.0f %18d%n", label, seconds, rows / seconds, slowest.get());
    long moved = db.queryLong("SELECT count(*) FROM " + table + " WHERE tier = 2");
    MISSING.unless(moved == rows, table + ": " + moved + " of " + rows + " rows demoted");
  }

  private static final Missing MISSING = new Missing();
}
