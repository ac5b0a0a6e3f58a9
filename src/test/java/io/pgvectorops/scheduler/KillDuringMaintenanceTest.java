package io.pgvectorops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgvectorops.testing.ApiClient;
import io.pgvectorops.testing.Chunks;
import io.pgvectorops.testing.Daemon;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon killed with kill -9 in the middle of an index rebuild and of a tiering run (alerts
 * pending: OutboxCrashTest). After a restart the killed runs read `interrupted`, the rebuild's
 * leftover (`_ccnew`, invalid) is dropped by the next rebuild, the next tiering run finishes the
 * work, and no row is lost.
 */
@Slow
class KillDuringMaintenanceTest {
  static final String TOKEN = "kill-test-token-0123456789";
  static final int ROWS = 20_000;

  @TempDir Path dir;
  int port;
  ApiClient api;

  @Test
  void killedRunsAreInterruptedAndTheNextRunsCleanUpAndFinish() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("kill");
    Chunks.create(db, ROWS);
    OpsFiles f = new OpsFiles(dir);
    f.writeConfig(
        OpsFiles.target("main", db),
        OpsFiles.state(db, "kill_state")
            + "api:\n  token: "
            + TOKEN
            + "\nscheduler:\n  name: kill\n");
    port = f.pinFreePorts();
    api = new ApiClient("http://127.0.0.1:" + port, TOKEN);
    String never = "schedule: '0 0 0 1 1 ?'\n";
    f.job(
        "rebuild.yml",
        "name: rebuild\nkind: index-rebuild\n"
            + never
            + "params: {indexes: [public.chunks_hnsw], lockTimeout: 2m, maxParallelWorkers: 0}\n");
    // 200 batches of 100 rows, 100 ms apart: a run long enough to be killed in the middle
    f.job(
        "tiering.yml",
        "name: tiering\nkind: tiering\n"
            + never
            + "params:\n  batchSize: 100\n  pause: 100ms\n"
            + "  tables:\n"
            + Chunks.TIERING_TABLE);

    long rebuildRun;
    long tieringRun;
    try (Daemon first = Daemon.start(dir, "first", f.config())) {
      first.awaitApi(port);
      // the rebuild waits behind an open writer, as REINDEX CONCURRENTLY does in production
      try (Connection writer = db.connect();
          Statement w = writer.createStatement()) {
        writer.setAutoCommit(false);
        w.execute("INSERT INTO chunks (embedding) SELECT rv(8)");
        rebuildRun = api.runNow("rebuild");
        awaitProgress(rebuildRun, p -> p.path("phase").asText().startsWith("waiting for"));
        tieringRun = api.runNow("tiering");
        org.awaitility.Awaitility.await("tiering moving rows")
            .atMost(java.time.Duration.ofSeconds(30))
            .pollInterval(java.time.Duration.ofMillis(100))
            .until(() -> db.queryLong("SELECT count(*) FROM chunks WHERE tier = 2") >= 1_000);
        first.kill9();
        writer.rollback();
      }
    }
    // the REINDEX whose client died is cut short, as client_connection_check_interval would:
    // leftovers
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pgvector-ops:ddl/reindex_index_concurrently%'"
              + " AND pid <> pg_backend_pid()");
    }
    assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname = 'chunks_hnsw_ccnew'"))
        .isEqualTo(1);
    long coldBefore = db.queryLong("SELECT count(*) FROM chunks WHERE tier = 2");
    assertThat(coldBefore).as("tiering was cut in the middle").isBetween(1L, ROWS - 1L);

    try (Daemon second = Daemon.start(dir, "second", f.config())) {
      second.awaitApi(port);
      for (long id : new long[] {rebuildRun, tieringRun}) {
        org.awaitility.Awaitility.await("run " + id + " marked interrupted")
            .atMost(java.time.Duration.ofSeconds(60))
            .pollInterval(java.time.Duration.ofMillis(250))
            .until(() -> api.run(id).get("status").asText().equals("interrupted"));
      }
      JsonNode rebuild = api.awaitEnd(api.runNow("rebuild"));
      assertThat(rebuild.get("status").asText()).as(rebuild.toString()).isEqualTo("succeeded");
      assertThat(rebuild.get("summary").get("droppedLeftovers").toString())
          .contains("chunks_hnsw_ccnew");
      JsonNode tiering = api.awaitEnd(api.runNow("tiering"));
      assertThat(tiering.get("status").asText()).as(tiering.toString()).isEqualTo("succeeded");
    }
    assertThat(db.queryLong("SELECT count(*) FROM pg_class WHERE relname LIKE 'chunks_hnsw_cc%'"))
        .isZero();
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM pg_index WHERE indrelid = 'chunks'::regclass AND NOT indisvalid"))
        .isZero();
    assertThat(db.queryLong("SELECT count(*) FROM chunks")).isEqualTo(ROWS);
    assertThat(db.queryLong("SELECT count(*) FROM chunks WHERE tier = 2")).isEqualTo(ROWS);
  }

  private void awaitProgress(long id, java.util.function.Predicate<JsonNode> seen) {
    org.awaitility.Awaitility.await("progress of run " + id)
        .atMost(java.time.Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofMillis(100))
        .until(
            () -> {
              JsonNode r = api.run(id);
              assertThat(r.get("status").asText())
                  .as("run " + id + " still running: " + r)
                  .isEqualTo("running");
              return !r.get("progress").isNull() && seen.test(r.get("progress"));
            });
  }
}
