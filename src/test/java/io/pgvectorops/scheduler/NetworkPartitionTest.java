package io.pgvectorops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.util.Duration;
import io.pgvectorops.PgvectorOpsApplication;
import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.StallingProxy;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target behind a proxy that stops forwarding (a partition: nothing resets the connection): a
 * statement in flight ends within its statement timeout plus the network margin, as failed with "no
 * answer", the target is unreachable at once (critical finding, alert, the API's snapshot), a
 * health run meanwhile is unreachable rather than "busy", a login into the partition fails within
 * the connect timeout, and everything works again when packets flow.
 */
@Slow
class NetworkPartitionTest {
  @TempDir Path dir;

  private static final long STATEMENT_TIMEOUT_S = 5;
  private static final long CONNECT_TIMEOUT_S = 3;

  private Components open(TestPostgres.Database direct, StallingProxy proxy, String schema)
      throws Exception {
    Path jobs = dir.resolve(schema);
    Files.createDirectories(jobs);
    Files.writeString(
        jobs.resolve("health.yml"), "name: health\nkind: health\nschedule: '0 0 * * * ?'\n");
    // the statement outlives the moment the proxy stalls; the server ends it after 3 s, but its
    // answer never arrives
    Files.writeString(
        jobs.resolve("slow.yml"),
        "name: slow\nkind: sql-check\nschedule: '0 0 * * * ?'\n"
            + "params:\n  query: \"SELECT 1 AS a FROM pg_sleep(3)\"\n  key: a\n");
    OpsConfiguration config = Stack.config(proxy.in(direct), schema, jobs);
    config.targets.get(0).statementTimeout = Duration.seconds(STATEMENT_TIMEOUT_S);
    config.targets.get(0).connectTimeout = Duration.seconds(CONNECT_TIMEOUT_S);
    // the state database is reached directly: only the target is partitioned
    config.state.url = direct.url();
    config.state.user = direct.user();
    config.state.password = direct.password();
    Components c = Stack.open(config, Clock.systemUTC());
    c.liveness.ensureHeld();
    return c;
  }

  @Test
  void aStatementWhoseServerStopsAnsweringEndsAndTheTargetIsUnreachable() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("partition_mid");
    try (StallingProxy proxy = new StallingProxy(db.host(), db.port());
        Components c = open(db, proxy, "partition_mid_state")) {
      assertThat(Stack.runNow(c, "health").status()).isEqualTo(RunStatus.succeeded);

      CompletableFuture<RunOutcome> slow =
          CompletableFuture.supplyAsync(() -> Stack.runNow(c, "slow"));
      org.awaitility.Awaitility.await("the slow statement running")
          .atMost(java.time.Duration.ofSeconds(10))
          .pollInterval(java.time.Duration.ofMillis(50))
          .until(
              () ->
                  db.queryLong(
                          "SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                              + " AND query LIKE '%AS a FROM pg_sleep(3)%'"
                              + " AND pid <> pg_backend_pid()")
                      > 0);
      Instant stalled = Instant.now();
      proxy.stall();

      // meanwhile health cannot log in: unreachable, not "connections busy"
      RunOutcome health = Stack.runNow(c, "health");
      assertThat(health.status()).as(String.valueOf(health.summary())).isEqualTo(RunStatus.failed);
      assertThat(health.findings())
          .anySatisfy(f -> assertThat(f.kind()).isEqualTo("target-unreachable"));

      RunOutcome o = slow.get(STATEMENT_TIMEOUT_S + 15 + 30, TimeUnit.SECONDS);
      long seconds = java.time.Duration.between(stalled, Instant.now()).toSeconds();
      System.out.printf("the run ended %d s after the partition began%n", seconds);
      assertThat(seconds).isLessThanOrEqualTo(STATEMENT_TIMEOUT_S + 15 + 5);
      assertThat(o.status()).isEqualTo(RunStatus.failed);
      assertThat(o.error()).contains("no answer from the server");
      assertThat(o.findings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.kind()).isEqualTo("target-unreachable");
                assertThat(f.severity()).isEqualTo(Finding.Severity.critical);
                assertThat(f.object()).isEqualTo("main");
              });
      assertThat(c.inventory.snapshots())
          .singleElement()
          .satisfies(s -> assertThat(s.reachable()).isFalse());
      assertThat(c.alerts.list("firing", 10))
          .anySatisfy(a -> assertThat(a.object()).isEqualTo("main"));

      proxy.flow();
      org.awaitility.Awaitility.await("the target answers again")
          .atMost(java.time.Duration.ofSeconds(30))
          .pollInterval(java.time.Duration.ofMillis(500))
          .until(() -> Stack.runNow(c, "health").status() == RunStatus.succeeded);
      assertThat(Stack.runNow(c, "slow").status()).isEqualTo(RunStatus.succeeded);
      assertThat(c.inventory.snapshots())
          .singleElement()
          .satisfies(s -> assertThat(s.reachable()).isTrue());
    }
  }

  @Test
  void aLoginIntoAPartitionFailsWithinTheConnectTimeoutAsUnreachable() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("partition_login");
    try (StallingProxy proxy = new StallingProxy(db.host(), db.port());
        Components c = open(db, proxy, "partition_login_state")) {
      proxy.stall();
      Instant start = Instant.now();
      RunOutcome o = Stack.runNow(c, "health");
      long seconds = java.time.Duration.between(start, Instant.now()).toSeconds();
      System.out.printf("health ended %d s after it started, at login%n", seconds);
      assertThat(seconds).isLessThanOrEqualTo(CONNECT_TIMEOUT_S + 5);
      assertThat(o.status()).isEqualTo(RunStatus.failed);
      assertThat(o.error()).contains("cannot connect to target main");
      assertThat(o.findings())
          .singleElement()
          .satisfies(f -> assertThat(f.kind()).isEqualTo("target-unreachable"));
    }
  }

  @Test
  void theApiAnswers503WhileTheStateDatabaseIsPartitionedAndAllRecovers() throws Exception {
    TestPostgres.Database target = TestPostgres.newDatabase("partition_api_target");
    TestPostgres.Database state = TestPostgres.newDatabase("partition_api_state");
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(2))
            .build();
    try (StallingProxy proxy = new StallingProxy(state.host(), state.port())) {
      OpsFiles f = new OpsFiles(dir.resolve("api"));
      f.writeConfig(
          OpsFiles.target("main", target),
          OpsFiles.state(proxy.in(state), "partition_api") + "scheduler:\n  name: partition\n");
      f.job("health.yml", "name: health\nkind: health\nschedule: '*/5 * * * * ?'\n");
      DropwizardTestSupport<OpsConfiguration> app =
          new DropwizardTestSupport<>(
              PgvectorOpsApplication.class,
              f.config().toString(),
              ConfigOverride.config("jobsDirectory", f.dir().resolve("jobs").toString()));
      app.before();
      try {
        String api = "http://127.0.0.1:" + app.getLocalPort();
        org.awaitility.Awaitility.await("the daemon up")
            .atMost(java.time.Duration.ofSeconds(60))
            .pollInterval(java.time.Duration.ofMillis(500))
            .until(() -> status(http, api + "/api/jobs/health/runs?limit=5") == 200);

        proxy.stall();
        for (String path :
            java.util.List.of("/api/status", "/api/jobs/health/runs?limit=5", "/api/runs/1")) {
          Instant asked = Instant.now();
          int code = status(http, api + path);
          long seconds = java.time.Duration.between(asked, Instant.now()).toSeconds();
          System.out.printf(
              "%s while the state database is partitioned: %d in %d s%n", path, code, seconds);
          assertThat(code).as(path).isEqualTo(503);
          // the state database's connectTimeout is 10 s
          assertThat(seconds).as(path).isLessThanOrEqualTo(10 + 5);
        }

        Instant healed = Instant.now();
        proxy.flow();
        org.awaitility.Awaitility.await("the API answers again by itself")
            .atMost(java.time.Duration.ofSeconds(90))
            .pollInterval(java.time.Duration.ofMillis(500))
            .until(() -> status(http, api + "/api/status") == 200);
        org.awaitility.Awaitility.await("the schedule goes on")
            .atMost(java.time.Duration.ofSeconds(90))
            .pollInterval(java.time.Duration.ofMillis(500))
            .until(
                () ->
                    state.queryLong(
                            "SELECT count(*) FROM partition_api.job_run WHERE trigger = 'schedule'"
                                + " AND status = 'succeeded' AND started_at > '"
                                + healed
                                + "'")
                        > 0);
      } finally {
        proxy.flow();
        app.after();
      }
    }
  }

  private static int status(java.net.http.HttpClient http, String url) {
    try {
      return http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                  .timeout(java.time.Duration.ofSeconds(60))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
