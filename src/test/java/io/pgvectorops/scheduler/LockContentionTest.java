package io.pgvectorops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.testing.Chunks;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application transaction holding ACCESS EXCLUSIVE on the vector table (a migration, say) while
 * every job kind runs: no job waits for it. Each run ends while the lock is still held, a run that
 * needed the table fails at its lock timeout (never its statement timeout) naming it, and with the
 * lock released the next run of every kind succeeds.
 */
@Slow
class LockContentionTest {
  @TempDir Path dir;

  static final Map<String, String> JOBS = new LinkedHashMap<>();

  /** The names of {@link #JOBS}, one job of each shipped kind, in the order the tests run them. */
  static final List<String> JOB_NAMES =
      List.of(
          "health",
          "bloat",
          "slow-queries",
          "prewarm",
          "regression",
          "rebuild",
          "tiering",
          "check");

  static {
    String never = "schedule: '0 0 0 1 1 ?'\n";
    JOBS.put("health.yml", "name: health\nkind: health\n" + never);
    JOBS.put("bloat.yml", "name: bloat\nkind: bloat\n" + never + "params: {minSize: 1MB}\n");
    JOBS.put("slow.yml", "name: slow-queries\nkind: slow-queries\n" + never);
    JOBS.put("prewarm.yml", "name: prewarm\nkind: prewarm\n" + never);
    JOBS.put(
        "regression.yml",
        "name: regression\nkind: regression\n" + never + "params: {probes: 10}\n");
    JOBS.put(
        "rebuild.yml",
        "name: rebuild\nkind: index-rebuild\n"
            + never
            + "params: {indexes: [public.chunks_hnsw], lockTimeout: 1s}\n");
    JOBS.put(
        "tiering.yml",
        "name: tiering\nkind: tiering\n" + never + "params:\n  tables:\n" + Chunks.TIERING_TABLE);
    JOBS.put(
        "check.yml",
        "name: check\nkind: sql-check\n"
            + never
            + "params:\n"
            + "  query: SELECT id FROM chunks WHERE embedding IS NULL\n  key: id\n  severity: warning\n"
            + "  findingKind: missing-embedding\n  message: 'chunk {id} has no embedding'\n");
  }

  @Test
  void noJobWaitsForAnApplicationsLockBeyondItsLockTimeout() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("contention");
    Chunks.create(db, 3000);
    List<String> kinds = JOB_NAMES;
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Components c = Stack.withJobs(db, "contention_state", dir, JOBS)) {
      var target = c.targets.get("main").orElseThrow();
      assertThat(
              c.runner
                  .run(c.catalog.get("health").orElseThrow(), target, Trigger.manual, null, false)
                  .status())
          .isEqualTo(RunStatus.succeeded);
      Map<String, RunOutcome> locked = new LinkedHashMap<>();
      try (Connection app = db.connect();
          Statement s = app.createStatement()) {
        app.setAutoCommit(false);
        s.execute("LOCK TABLE chunks IN ACCESS EXCLUSIVE MODE");
        int holder = pid(s);
        for (String kind : kinds) {
          Future<RunOutcome> run =
              pool.submit(
                  () ->
                      c.runner.run(
                          c.catalog.get(kind).orElseThrow(), target, Trigger.manual, null, false));
          // a job waiting for the lock would wait until the end of this test: give it far more than
          // it needs
          RunOutcome o = run.get(60, TimeUnit.SECONDS);
          locked.put(kind, o);
          System.out.printf(
              "while locked: %-13s %-10s %6d ms %s%n",
              kind,
              o.status(),
              Duration.between(o.startedAt(), o.endedAt()).toMillis(),
              o.error() == null ? "" : o.error());
        }
        // every run above ended while the application still held its lock
        assertThat(holdsExclusiveLock(db, holder)).isTrue();
        app.rollback();
      }
      for (var e : locked.entrySet()) {
        RunOutcome o = e.getValue();
        if (o.status() == RunStatus.failed) {
          assertThat(o.error())
              .as(e.getKey())
              .contains("lock timeout")
              .doesNotContain("statement timeout");
        }
      }
      // the jobs that must touch the table could not have succeeded
      for (String kind : List.of("rebuild", "tiering", "check")) {
        assertThat(locked.get(kind).status()).as(kind).isEqualTo(RunStatus.failed);
      }
      for (String kind : kinds) {
        RunOutcome o =
            c.runner.run(c.catalog.get(kind).orElseThrow(), target, Trigger.manual, null, false);
        assertThat(o.status())
            .as(kind + " after the lock: " + o.error())
            .isEqualTo(RunStatus.succeeded);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static int pid(Statement s) throws Exception {
    try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static boolean holdsExclusiveLock(TestPostgres.Database db, int pid) throws Exception {
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_locks WHERE pid = "
                    + pid
                    + " AND relation = 'chunks'::regclass"
                    + " AND mode = 'AccessExclusiveLock' AND granted")) {
      rs.next();
      return rs.getInt(1) == 1;
    }
  }
}
