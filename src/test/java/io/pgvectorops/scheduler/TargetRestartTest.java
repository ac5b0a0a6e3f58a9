package io.pgvectorops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.pgvectorops.PgvectorOpsApplication;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.testing.ApiClient;
import io.pgvectorops.testing.Chunks;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.OwnCluster;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target restarted (fast shutdown) while a run of each job kind is in the middle of a
 * statement: the run ends failed with an error naming the target, the next run succeeds, and the
 * API answers all along. To be sure the statement is running when the restart comes, an application
 * holds a DROP INDEX in a prepared transaction (a lock on the table and its index that outlives the
 * restart, so the statement cannot slip through while the sessions are being ended), which the
 * job's statement waits for; the test rolls it back after the restart.
 */
@Slow
class TargetRestartTest {
  static final String TOKEN = "restart-test-token-0123456789";

  @TempDir Path dir;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void aRunCutByATargetRestartFailsClearlyAndTheNextOneSucceeds() throws Exception {
    TestPostgres.Database state = TestPostgres.newDatabase("restart_state");
    try (OwnCluster cluster = OwnCluster.start()) {
      TestPostgres.Database db = cluster.newDatabase("restart_target");
      Chunks.create(db, 3000);
      OpsFiles f = new OpsFiles(dir);
      // long lock and statement timeouts: here the job must still be waiting when the restart comes
      f.writeConfig(
          OpsFiles.target("main", db) + "    lockTimeout: 50s\n    statementTimeout: 60s\n",
          OpsFiles.state(state, "restart_state")
              + "api:\n  token: "
              + TOKEN
              + "\nscheduler:\n  name: restart\n");
      for (var e : LockContentionTest.JOBS.entrySet()) {
        f.job(e.getKey(), e.getValue().replace("lockTimeout: 1s", "lockTimeout: 50s"));
      }
      DropwizardTestSupport<OpsConfiguration> app =
          new DropwizardTestSupport<>(
              PgvectorOpsApplication.class,
              f.config().toString(),
              ConfigOverride.config("jobsDirectory", dir.resolve("jobs").toString()));
      app.before();
      String base = "http://127.0.0.1:" + app.getLocalPort();
      ApiClient api = new ApiClient(base, TOKEN);
      AtomicInteger asked = new AtomicInteger();
      List<String> notAnswered = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread watcher =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  try {
                    int code =
                        http.send(
                                HttpRequest.newBuilder(URI.create(base + "/api/status")).build(),
                                HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    asked.incrementAndGet();
                    if (code != 200) {
                      notAnswered.add(Instant.now() + " " + code);
                    }
                    Thread.sleep(100); // pacing: ten requests a second
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception e) {
                    notAnswered.add(Instant.now() + " " + e);
                  }
                }
              },
              "status-watcher");
      watcher.start();
      try {
        api.awaitEnd(api.runNow("health"));
        for (String job : LockContentionTest.JOB_NAMES) {
          JsonNode cut;
          try (Connection holder = db.connect();
              Statement s = holder.createStatement()) {
            holder.setAutoCommit(false);
            s.execute("DROP INDEX chunks_hnsw");
            s.execute("PREPARE TRANSACTION 'hold'");
          }
          try {
            long id = api.runNow(job);
            awaitWaitingForALock(
                db,
                id,
                api,
                job.equals("check")
                    ? "sql-check:"
                    : job.equals("tiering") ? "tiering/" : "probes/");
            cluster.restart();
            cut = api.awaitEnd(id);
          } finally {
            db.execute("ROLLBACK PREPARED 'hold'");
          }
          System.out.printf(
              "restart during %-13s -> %s: %s%n",
              job, cut.get("status").asText(), cut.get("error"));
          assertThat(cut.get("status").asText()).as(job).isEqualTo("failed");
          assertThat(cut.get("error").asText())
              .as(job)
              .startsWith("target main")
              .contains("terminating connection");
          JsonNode next = api.awaitEnd(api.runNow(job));
          assertThat(next.get("status").asText())
              .as(job + " after the restart: " + next.get("error"))
              .isEqualTo("succeeded");
        }
      } finally {
        watcher.interrupt();
        watcher.join();
        app.after();
      }
      assertThat(asked.get()).isGreaterThan(10);
      assertThat(notAnswered).as("GET /api/status while the target restarted").isEmpty();
    }
  }

  /**
   * Until the run's own statement (tagged like {@code tag}) waits for the application's lock, and
   * the run is still running: not before (the restart would come too early), not another session.
   */
  private void awaitWaitingForALock(
      TestPostgres.Database db, long runId, ApiClient api, String tag) {
    org.awaitility.Awaitility.await("run " + runId + " waiting for the lock")
        .atMost(java.time.Duration.ofSeconds(30))
        .pollInterval(java.time.Duration.ofMillis(100))
        .until(
            () -> {
              String waiting = null;
              try (Connection c = db.connect();
                  Statement s = c.createStatement();
                  ResultSet rs =
                      s.executeQuery(
                          "SELECT left(query, 120) FROM pg_stat_activity WHERE wait_event_type ="
                              + " 'Lock' AND datname = current_database() AND application_name ="
                              + " 'pgvector-ops' AND query LIKE '/* pgvector-ops:"
                              + tag
                              + "%'")) {
                if (rs.next()) {
                  waiting = rs.getString(1);
                }
              }
              JsonNode run = api.run(runId);
              assertThat(run.get("status").asText())
                  .as("run " + runId + " ended before it waited: " + run)
                  .isEqualTo("running");
              if (waiting != null) {
                System.out.println("waiting: " + waiting);
              }
              return waiting != null;
            });
  }
}
