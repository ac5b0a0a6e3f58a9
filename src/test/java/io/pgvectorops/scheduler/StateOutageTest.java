package io.pgvectorops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.pgvectorops.PgvectorOpsApplication;
import io.pgvectorops.config.OpsConfiguration;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state database stopped for a minute under a daemon whose health job fires every 5 s: the
 * daemon stays up and answers (503 from the API, unhealthy /healthcheck), turns healthy again by
 * itself, goes on with the schedule, runs at most one catch-up for the fires it missed
 * (docs/operations.md: misfires), and records no fire twice and no run of its own as interrupted.
 */
@Slow
class StateOutageTest {
  @TempDir Path dir;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void theDaemonRidesOutAStateDatabaseOutage() throws Exception {
    TestPostgres.Database target = TestPostgres.newDatabase("outage_target");
    target.execute(
        "CREATE TABLE docs (id bigserial PRIMARY KEY, e vector(4))",
        "INSERT INTO docs (e) SELECT rv(4) FROM generate_series(1, 100)",
        "CREATE INDEX docs_hnsw ON docs USING hnsw (e vector_l2_ops)");
    try (OwnCluster cluster = OwnCluster.start()) {
      TestPostgres.Database state = cluster.newDatabase("outage_state");
      OpsFiles f = new OpsFiles(dir);
      f.writeConfig(
          OpsFiles.target("main", target),
          OpsFiles.state(state, "outage_state") + "scheduler:\n  name: outage\n");
      f.job("health.yml", "name: health\nkind: health\nschedule: '*/5 * * * * ?'\n");
      DropwizardTestSupport<OpsConfiguration> app =
          new DropwizardTestSupport<>(
              PgvectorOpsApplication.class,
              f.config().toString(),
              ConfigOverride.config("jobsDirectory", dir.resolve("jobs").toString()));
      app.before();
      try {
        String api = "http://127.0.0.1:" + app.getLocalPort();
        String admin = "http://127.0.0.1:" + app.getAdminPort();
        awaitScheduledRunsAfter(state, Instant.now(), 2);
        assertThat(status(admin + "/healthcheck")).isEqualTo(200);

        Instant down = Instant.now();
        cluster.stop();
        List<Integer> apiDuring = new ArrayList<>();
        List<Integer> healthDuring = new ArrayList<>();
        List<Long> answerMillis = new ArrayList<>();
        while (Duration.between(down, Instant.now()).toSeconds() < 60) {
          Instant asked = Instant.now();
          apiDuring.add(status(api + "/api/status"));
          healthDuring.add(status(admin + "/healthcheck"));
          answerMillis.add(Duration.between(asked, Instant.now()).toMillis());
          Thread.sleep(2_000); // pacing: one sample every 2 s through a 60-second outage
        }
        cluster.startAgain();
        Instant up = Instant.now();
        // printed, not asserted (noisy machines): the first pair waits out the pool's connection
        // timeout, the later ones are answered from what is known (sql/Reachability)
        System.out.printf(
            "during the outage: /api/status %s, /healthcheck %s, both answered in %s ms%n",
            apiDuring, healthDuring, answerMillis);
        // the daemon answered throughout, saying the state database is unavailable
        assertThat(apiDuring).isNotEmpty().allSatisfy(code -> assertThat(code).isEqualTo(503));
        assertThat(healthDuring).allSatisfy(code -> assertThat(code).isEqualTo(500));

        org.awaitility.Awaitility.await("healthy again after the outage")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> status(admin + "/healthcheck") == 200);
        System.out.printf(
            "healthy again %d ms after the state database came back%n",
            Duration.between(up, Instant.now()).toMillis());
        awaitScheduledRunsAfter(state, up, 2);
        assertThat(status(api + "/api/status")).isEqualTo(200);

        try (Connection c = state.connect();
            Statement s = c.createStatement()) {
          s.execute("SET search_path = outage_state");
          // no fire recorded twice (the unique index would refuse it; nothing tried either)
          assertThat(
                  count(
                      s,
                      "SELECT count(*) FROM (SELECT scheduled_for FROM job_run WHERE scheduled_for IS NOT NULL"
                          + " GROUP BY scheduled_for HAVING count(*) > 1) d"))
              .isZero();
          // the fires missed while down were not each run afterwards: at most one catch-up
          assertThat(
                  count(
                      s,
                      "SELECT count(*) FROM job_run WHERE scheduled_for > '"
                          + down.plusSeconds(5)
                          + "' AND scheduled_for < '"
                          + up.minusSeconds(5)
                          + "'"))
              .isLessThanOrEqualTo(1);
          // its own later runs were not mistaken for runs of a dead process
          assertThat(
                  count(
                      s,
                      "SELECT count(*) FROM job_run WHERE status = 'interrupted' AND started_at > '"
                          + up
                          + "'"))
              .isZero();
          assertThat(
                  count(
                      s,
                      "SELECT count(*) FROM job_run WHERE status = 'running' AND started_at < now() - interval '30 seconds'"))
              .isZero();
        }
      } finally {
        app.after();
      }
    }
  }

  private int status(String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void awaitScheduledRunsAfter(TestPostgres.Database state, Instant after, int n) {
    // the schema is created at start-up: until then the count fails
    org.awaitility.Awaitility.await(n + " scheduled runs after " + after)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsInstanceOf(java.sql.SQLException.class)
        .until(
            () ->
                state.queryLong(
                        "SELECT count(*) FROM outage_state.job_run WHERE trigger = 'schedule'"
                            + " AND status = 'succeeded' AND started_at > '"
                            + after
                            + "'")
                    >= n);
  }
}
