package io.pgvectorops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.JobDefinition;
import io.pgvectorops.jobs.JobResult;
import io.pgvectorops.jobs.JobSummary;
import io.pgvectorops.jobs.MaintenanceWindow;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.state.FindingRecord;
import io.pgvectorops.testing.FakeKind;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime rules every job obeys, checked on a real PostgreSQL with fake job kinds. */
class JobRunnerTest {
  static TestPostgres.Database db;
  static Components c;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    db = TestPostgres.newDatabase("runner");
    c = Stack.open(Stack.config(db, "runner_state", dir.resolve("jobs")), Clock.systemUTC());
    c.liveness.ensureHeld();
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  /** A job kind whose run is the given function. */
  static JobDefinition job(
      String name,
      boolean writes,
      MaintenanceWindow window,
      Function<io.pgvectorops.jobs.JobContext, JobResult> body) {
    return new FakeKind("fake", writes, body::apply).definition(name, window);
  }

  /** A fake kind's summary. */
  record Answer(int answer) implements JobSummary {}

  /** The session settings a job's connection had. */
  record Seen(String statementTimeout, String lockTimeout, String applicationName)
      implements JobSummary {}

  private RunOutcome run(JobDefinition job, Trigger trigger) {
    return c.runner.run(job, c.targets.get("main").orElseThrow(), trigger, null, false);
  }

  private String storedStatus(long runId) {
    return c.runs.get(runId).orElseThrow().status();
  }

  @Test
  void aRunIsRecordedWithItsSummary() {
    RunOutcome o =
        run(
            job("ok", false, null, ctx -> JobResult.succeeded(new Answer(42), List.of())),
            Trigger.manual);
    assertThat(o.status()).isEqualTo(RunStatus.succeeded);
    var stored = c.runs.get(o.runId()).orElseThrow();
    assertThat(stored.status()).isEqualTo("succeeded");
    assertThat(stored.summary().get("answer").asInt()).isEqualTo(42);
    assertThat(stored.endedAt()).isAfterOrEqualTo(stored.startedAt());
  }

  @Test
  void anotherSessionHoldingTheRunLockMeansSkipped() throws Exception {
    try (Connection other = db.connect();
        Statement s = other.createStatement()) {
      s.execute("SELECT pg_advisory_lock(" + JobRunner.RUN_LOCK_CLASS + ", hashtext('locked'))");
      RunOutcome o =
          run(
              job("locked", false, null, ctx -> JobResult.succeeded(JobSummary.NONE, List.of())),
              Trigger.manual);
      assertThat(o.status()).isEqualTo(RunStatus.skipped);
      assertThat(((JobSummary.Skipped) o.summary()).skipped()).contains("holds its lock");
    }
    // and the lock is not left behind by our own runs
    run(
        job("released", false, null, ctx -> JobResult.succeeded(JobSummary.NONE, List.of())),
        Trigger.manual);
    try (Connection other = db.connect();
        Statement s = other.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT pg_try_advisory_lock("
                    + JobRunner.RUN_LOCK_CLASS
                    + ", hashtext('released'))")) {
      rs.next();
      assertThat(rs.getBoolean(1)).isTrue();
    }
  }

  @Test
  void scheduledRunsOutsideTheirWindowAreSkippedButManualRunsAreNot() {
    LocalTime now = LocalTime.now(ZoneOffset.UTC);
    // a one-hour window that ends two hours from now and started one hour from now: never now
    MaintenanceWindow closed =
        new MaintenanceWindow(now.plusHours(1), now.plusHours(2), ZoneId.of("UTC"));
    JobDefinition j =
        job("windowed", true, closed, ctx -> JobResult.succeeded(JobSummary.NONE, List.of()));
    RunOutcome scheduled = run(j, Trigger.schedule);
    assertThat(scheduled.status()).isEqualTo(RunStatus.skipped);
    assertThat(((JobSummary.Skipped) scheduled.summary()).skipped())
        .contains("outside maintenance window");
    assertThat(run(j, Trigger.manual).status()).isEqualTo(RunStatus.succeeded);
  }

  /**
   * Every connection of the target taken by other runs: the run waits connectTimeout, then is
   * skipped saying so; the target is not reported unreachable (it answers fine).
   */
  @Test
  void aRunFindingEveryConnectionBusyIsSkippedAndTheTargetIsNotCalledUnreachable()
      throws Exception {
    var target = c.targets.get("main").orElseThrow();
    int max = target.dataSource().getMaximumPoolSize();
    List<java.sql.Connection> taken = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < max; i++) {
        taken.add(target.dataSource().getConnection());
      }
      RunOutcome o =
          run(
              job("starved", false, null, ctx -> JobResult.succeeded(JobSummary.NONE, List.of())),
              Trigger.schedule);
      assertThat(o.status()).isEqualTo(RunStatus.skipped);
      assertThat(((JobSummary.Skipped) o.summary()).skipped())
          .contains("connections to target main stayed busy");
      assertThat(o.findings()).isEmpty();
    } finally {
      for (java.sql.Connection t : taken) {
        t.close();
      }
    }
    // and a real connection failure is still told apart
    assertThat(
            ConnectFailures.poolBusy(
                new java.sql.SQLTransientConnectionException(
                    "timed out", "08001", new java.net.ConnectException("refused")),
                c.targets.get("main").orElseThrow().dataSource()))
        .isFalse();
    // and so is a pool that is not full yet gave no connection in time (no answer at login)
    assertThat(
            ConnectFailures.poolBusy(
                new java.sql.SQLTransientConnectionException("timed out"),
                c.targets.get("main").orElseThrow().dataSource()))
        .isFalse();
  }

  @Test
  void writeKindsRunOnAPrimary() {
    RunOutcome o =
        run(
            job("writer", true, null, ctx -> JobResult.succeeded(JobSummary.NONE, List.of())),
            Trigger.manual);
    assertThat(o.status()).isEqualTo(RunStatus.succeeded);
  }

  @Test
  void findingsStayOpenWhileSeenAndResolveWhenACompleteRunMissesThem() {
    Finding a =
        Finding.warning(
            "public.a", FakeKind.finding("bloat"), "a is bloated", Map.of("ratio", 0.4));
    Finding b =
        Finding.critical("public.b", FakeKind.finding("invalid-index"), "b is invalid", Map.of());
    JobDefinition first =
        job("finder", false, null, ctx -> JobResult.succeeded(JobSummary.NONE, List.of(a, b)));
    long run1 = run(first, Trigger.manual).runId();
    List<FindingRecord> open = c.findings.list(true, "main", "finder", 10);
    assertThat(open)
        .extracting(FindingRecord::object)
        .containsExactlyInAnyOrder("public.a", "public.b");

    // a failed run sees only a: b stays open, because a failed run did not look at everything
    JobDefinition failing = job("finder", false, null, ctx -> JobResult.failed("boom", List.of(a)));
    run(failing, Trigger.manual);
    assertThat(c.findings.list(true, "main", "finder", 10)).hasSize(2);

    // a complete run sees only a: b resolves, a keeps its first_seen
    JobDefinition second =
        job("finder", false, null, ctx -> JobResult.succeeded(JobSummary.NONE, List.of(a)));
    long run3 = run(second, Trigger.manual).runId();
    List<FindingRecord> now = c.findings.list(true, "main", "finder", 10);
    assertThat(now)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.object()).isEqualTo("public.a");
              assertThat(f.firstRunId()).isEqualTo(run1);
              assertThat(f.lastRunId()).isEqualTo(run3);
              assertThat(f.metrics().get("ratio").asDouble()).isEqualTo(0.4);
            });
    assertThat(c.findings.list(false, "main", "finder", 10))
        .singleElement()
        .satisfies(f -> assertThat(f.object()).isEqualTo("public.b"));

    // seen again after resolving: a new finding, not the old one reopened
    long run4 = run(first, Trigger.manual).runId();
    assertThat(c.findings.list(true, "main", "finder", 10))
        .filteredOn(f -> f.object().equals("public.b"))
        .singleElement()
        .satisfies(f -> assertThat(f.firstRunId()).isEqualTo(run4));
  }

  @Test
  void aBugInAJobIsRecordedAsFailedAndNothingIsLeftBehind() {
    RunOutcome o =
        run(
            job(
                "buggy",
                false,
                null,
                ctx -> {
                  throw new IllegalStateException("oops");
                }),
            Trigger.manual);
    assertThat(o.status()).isEqualTo(RunStatus.failed);
    assertThat(storedStatus(o.runId())).isEqualTo("failed");
    assertThat(c.runs.get(o.runId()).orElseThrow().error()).contains("oops");
  }

  @Test
  void sessionsCarryTheTargetsTimeoutsAndApplicationName() {
    RunOutcome o =
        run(
            job(
                "settings",
                false,
                null,
                ctx -> {
                  Seen seen;
                  try (Statement s = ctx.connection().createStatement();
                      ResultSet rs =
                          s.executeQuery(
                              "SELECT current_setting('statement_timeout'), current_setting('lock_timeout'),"
                                  + " current_setting('application_name')")) {
                    rs.next();
                    seen = new Seen(rs.getString(1), rs.getString(2), rs.getString(3));
                  } catch (java.sql.SQLException e) {
                    throw new io.pgvectorops.sql.DbException("target main", "settings", e);
                  }
                  return JobResult.succeeded(seen, List.of());
                }),
            Trigger.manual);
    assertThat(o.summary()).isEqualTo(new Seen("30s", "2s", "pgvector-ops"));
  }

  @Test
  void anApplicationHoldingALockMakesAJobFailAtItsLockTimeoutNotWait() throws Exception {
    db.execute("CREATE TABLE IF NOT EXISTS busy (id int)");
    try (Connection app = db.connect();
        Statement s = app.createStatement()) {
      app.setAutoCommit(false);
      s.execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE");
      RunOutcome o =
          run(
              job(
                  "locker",
                  true,
                  null,
                  ctx -> {
                    try (Statement js = ctx.connection().createStatement()) {
                      js.execute("SELECT count(*) FROM busy");
                    } catch (java.sql.SQLException e) {
                      throw new io.pgvectorops.sql.DbException("target main", "count busy", e);
                    }
                    return JobResult.succeeded(JobSummary.NONE, List.of());
                  }),
              Trigger.manual);
      app.rollback();
      assertThat(o.status()).isEqualTo(RunStatus.failed);
      // "canceling statement due to lock timeout": lock_timeout (2 s) ended it, not
      // statement_timeout (30 s)
      assertThat(o.error()).contains("[count busy]").contains("lock timeout");
    }
  }

  @Test
  void shutdownCancelsARunningStatementAndRecordsTheRunInterrupted() throws Exception {
    Components own =
        Stack.open(Stack.config(db, "runner_state", dir.resolve("jobs2")), Clock.systemUTC());
    own.liveness.ensureHeld();
    try {
      JobDefinition sleeper =
          job(
              "sleeper",
              false,
              null,
              ctx -> {
                try (Statement s = ctx.connection().createStatement()) {
                  s.execute("SELECT pg_sleep(60)");
                } catch (java.sql.SQLException e) {
                  throw new io.pgvectorops.sql.DbException("target main", "sleep", e);
                }
                return JobResult.succeeded(JobSummary.NONE, List.of());
              });
      CompletableFuture<RunOutcome> running =
          CompletableFuture.supplyAsync(
              () ->
                  own.runner.run(
                      sleeper, own.targets.get("main").orElseThrow(), Trigger.manual, null, false));
      await("the run to start")
          .atMost(java.time.Duration.ofSeconds(20))
          .pollInterval(java.time.Duration.ofMillis(20))
          .until(() -> own.runner.activeRuns() > 0);
      // shutdown must cancel a statement the server is running, not one still being sent
      db.awaitRunning("SELECT pg_sleep(60)", java.time.Duration.ZERO);
      own.runner.shutdown(java.time.Duration.ofSeconds(5));
      RunOutcome o = running.get(20, TimeUnit.SECONDS);
      assertThat(o.status()).isEqualTo(RunStatus.interrupted);
      assertThat(storedStatus(o.runId())).isEqualTo("interrupted");
    } finally {
      own.close();
    }
  }

  @Test
  void runsOfADeadProcessAreMarkedInterruptedAndLiveOnesAreNot() throws Exception {
    long live = c.runs.start("x", "fake", "main", "manual", false, null, Instant.now(), c.liveness);
    long dead;
    try (Components gone =
        Stack.open(Stack.config(db, "runner_state", dir.resolve("jobs3")), Clock.systemUTC())) {
      gone.liveness.ensureHeld();
      dead =
          gone.runs.start("x", "fake", "main", "manual", false, null, Instant.now(), gone.liveness);
      assertThat(c.runs.interruptOrphaned(Instant.now())).isZero();
    }
    // its session (and so its liveness lock) ended with close(), but the server ends a backend
    // after its client hung up, not before: the lock may outlive close() for a moment
    int[] marked = {0};
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> (marked[0] += c.runs.interruptOrphaned(Instant.now())) > 0);
    assertThat(marked[0]).isEqualTo(1);
    assertThat(storedStatus(dead)).isEqualTo("interrupted");
    assertThat(storedStatus(live)).isEqualTo("running");
    c.runs.finish(live, "succeeded", Instant.now(), JobSummary.NONE, null);
  }

  @Test
  void aScheduledFireIsRecordedOnce() {
    JobDefinition j =
        job("once", false, null, ctx -> JobResult.succeeded(JobSummary.NONE, List.of()));
    Instant fire = Instant.parse("2026-03-01T10:00:00Z");
    var target = c.targets.get("main").orElseThrow();
    RunOutcome first = c.runner.run(j, target, Trigger.schedule, fire, false);
    RunOutcome second = c.runner.run(j, target, Trigger.schedule, fire, false);
    assertThat(first.status()).isEqualTo(RunStatus.succeeded);
    assertThat(second.runId()).isNull();
    assertThat(((JobSummary.Skipped) second.summary()).skipped())
        .isEqualTo("already run by another instance");
  }
}
