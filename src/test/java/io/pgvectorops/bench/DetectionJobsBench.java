package io.pgvectorops.bench;

import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;

/**
 * Cost of the bloat and slow-queries jobs on a database with many vector tables (default 1,000,
 * each with an HNSW index): wall time of a run, statements the daemon sent and the database time
 * they took, both read from pg_stat_statements (every statement carries a pgvector-ops tag). Usage:
 * bench/detection-jobs [tables, default 1000]
 */
public final class DetectionJobsBench {
  public static void main(String[] args) throws Exception {
    int tables = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    TestPostgres.Database db = TestPostgres.newDatabase("bench_detection");
    long setup = System.nanoTime();
    for (int from = 0; from < tables; from += 100) {
      db.execute(
          "DO $$ BEGIN FOR i IN "
              + from
              + " .. "
              + (Math.min(tables, from + 100) - 1)
              + " LOOP"
              + " EXECUTE format('CREATE TABLE docs_%s (id bigserial PRIMARY KEY, e vector(32))', i);"
              + " EXECUTE format('INSERT INTO docs_%s (e) SELECT rv(32) FROM generate_series(1, 20)', i);"
              + " EXECUTE format('CREATE INDEX docs_%s_hnsw ON docs_%s USING hnsw (e vector_l2_ops)', i, i);"
              + " END LOOP; END $$");
    }
    db.execute("ANALYZE");
    System.err.printf("set up %d tables in %.1f s%n", tables, (System.nanoTime() - setup) / 1e9);
    Path jobs = Files.createTempDirectory("bench-jobs");
    Files.writeString(
        jobs.resolve("bloat.yml"), "name: bloat\nkind: bloat\nschedule: '0 0 * * * ?'\n");
    Files.writeString(
        jobs.resolve("slow.yml"),
        "name: slow-queries\nkind: slow-queries\nschedule: '0 0 * * * ?'\n");
    Files.writeString(
        jobs.resolve("health.yml"), "name: health\nkind: health\nschedule: '0 0 * * * ?'\n");
    Missing missing = new Missing();
    try (Components c = Stack.open(Stack.config(db, "bench_state", jobs), Clock.systemUTC())) {
      c.liveness.ensureHeld();
      run(c, "health");
      System.out.printf(
          "%d vector tables, each with an HNSW index; PostgreSQL and the daemon on this machine%n",
          tables);
      System.out.printf(
          "%-14s %5s %10s %12s %14s %9s%n",
          "job", "run", "wall ms", "statements", "db time ms", "findings");
      for (String job : new String[] {"bloat", "slow-queries"}) {
        run(c, job); // warm-up; for slow-queries also the baseline
        for (int i = 1; i <= 3; i++) {
          double[] before = tagged(db);
          long start = System.nanoTime();
          RunOutcome o = run(c, job);
          double wall = (System.nanoTime() - start) / 1e6;
          double[] after = tagged(db);
          System.out.printf(
              "%-14s %5d %10.0f %12.0f %14.1f %9d%n",
              job, i, wall, after[0] - before[0], after[1] - before[1], o.findings().size());
          missing.unless(after[0] > before[0], job + " run " + i + ": statements");
        }
      }
    }
    System.out.println("most expensive statements (all runs):");
    try (Connection conn = db.connect();
        Statement s = conn.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT substring(query from '/\\* pgvector-ops:([^ ]+) \\*/') AS name, calls,"
                    + " round((total_exec_time + total_plan_time)::numeric / calls, 1) AS mean_ms"
                    + " FROM pg_stat_statements WHERE query LIKE '/* pgvector-ops:%'"
                    + " ORDER BY total_exec_time + total_plan_time DESC LIMIT 5")) {
      while (rs.next()) {
        System.out.printf(
            "  %-36s %5d calls %10s ms/call%n", rs.getString(1), rs.getLong(2), rs.getString(3));
      }
    }
    missing.exit();
  }

  static RunOutcome run(Components c, String name) {
    JobDefinition job = c.catalog.get(name).orElseThrow();
    return Missing.succeeded(
        "job " + name,
        c.runner.run(job, c.targets.get("main").orElseThrow(), Trigger.manual, null, false));
  }

  /**
   * calls and execution time of every statement the daemon sent (target and state, both tagged).
   */
  static double[] tagged(TestPostgres.Database db) throws Exception {
    try (Connection conn = db.connect();
        Statement s = conn.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT coalesce(sum(calls), 0), coalesce(sum(total_exec_time + total_plan_time), 0)"
                    + " FROM pg_stat_statements WHERE query LIKE '/* pgvector-ops:%'")) {
      rs.next();
      return new double[] {rs.getDouble(1), rs.getDouble(2)};
    }
  }
}
