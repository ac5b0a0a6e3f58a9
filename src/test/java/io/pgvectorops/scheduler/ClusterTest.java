package io.pgvectorops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.testing.Daemon;
import io.pgvectorops.testing.OpsFiles;
import io.pgvectorops.testing.Slow;
import io.pgvectorops.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemon processes on one state schema: each fire of the schedule runs exactly once, and when
 * one instance is killed with SIGKILL the other carries on with the whole schedule.
 */
@Slow
class ClusterTest {
  @TempDir Path dir;

  @Test
  void twoInstancesRunEachFireOnceAndTheSurvivorTakesOver() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("cluster");
    OpsFiles f = new OpsFiles(dir);
    String common =
        OpsFiles.state(db, "cluster_state")
            + "scheduler:\n  name: cluster-test\n  checkinInterval: 1000ms\n  threads: 2\n  instanceId: ";
    f.job("health.yml", "name: health\nkind: health\nschedule: '0/2 * * * * ?'\n");
    Path configA = f.writeConfig(OpsFiles.target("main", db), common + "node-a\n");
    java.nio.file.Files.move(configA, dir.resolve("a.yml"));
    Path configB = f.writeConfig(OpsFiles.target("main", db), common + "node-b\n");
    java.nio.file.Files.move(configB, dir.resolve("b.yml"));

    try (Daemon a = Daemon.start(dir, "node-a", dir.resolve("a.yml"));
        Daemon b = Daemon.start(dir, "node-b", dir.resolve("b.yml"))) {
      awaitLog(a, "scheduler cluster-test started");
      awaitLog(b, "scheduler cluster-test started");
      Instant bothUp = Instant.now();
      // a window of several 2-second fires with both instances up
      awaitFiresAfter(db, bothUp.plusSeconds(3), 5);
      Instant checked = Instant.now().plusSeconds(2);
      awaitFiresAfter(db, checked, 1);

      Map<Instant, List<String>> fires = scheduledRuns(db);
      assertNoFireRanTwice(fires);
      // Quartz's cluster lock, not the state schema's unique index, keeps fires single:
      // no instance even attempted a fire another one had taken
      assertThat(a.log() + b.log()).doesNotContain("already run by another instance");
      assertEveryFireRan(fires, bothUp.plusSeconds(3), checked.minusSeconds(3));

      // kill the instance that ran the latest fire, so the survivor has to take over for real
      String latest = fires.get(((TreeMap<Instant, List<String>>) fires).lastKey()).get(0);
      Daemon victim = latest.equals("node-a") ? a : b;
      Daemon survivor = victim == a ? b : a;
      String survivorId = victim == a ? "node-b" : "node-a";
      victim.kill9();
      Instant killed = Instant.now();
      // the survivor takes over within a few check-ins, then runs several fires
      awaitFiresAfter(db, killed.plusSeconds(4), 4);
      Instant end = Instant.now().plusSeconds(2);
      awaitFiresAfter(db, end, 1);

      fires = scheduledRuns(db);
      assertNoFireRanTwice(fires);
      // within a few check-in intervals, every fire runs again, on the survivor
      assertEveryFireRan(fires, killed.plusSeconds(4), end.minusSeconds(3));
      fires.entrySet().stream()
          .filter(e -> e.getKey().isAfter(killed.plusSeconds(4)))
          .forEach(e -> assertThat(e.getValue()).containsExactly(survivorId));
      assertThat(survivor.isAlive()).isTrue();

      // a run the dead instance left 'running' is marked interrupted by the survivor's sweep
      assertThat(
              db.queryLong(
                  "SELECT count(*) FROM cluster_state.job_run WHERE status = 'running'"
                      + " AND started_at < now() - interval '8 seconds'"))
          .isZero();

      // SIGTERM: the survivor stops cleanly and leaves no run 'running'
      assertThat(survivor.terminate()).isIn(0, 143);
      assertThat(
              db.queryLong("SELECT count(*) FROM cluster_state.job_run WHERE status = 'running'"))
          .isZero();
      assertThat(survivor.log()).doesNotContain("Exception in thread");
    }
  }

  private static void awaitLog(Daemon d, String text) {
    org.awaitility.Awaitility.await("daemon to log '" + text + "'")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!d.isAlive()) {
                throw new AssertionError("daemon died before logging '" + text + "':\n" + d.log());
              }
              return d.log().contains(text);
            });
  }

  /** Waits until at least {@code n} fires scheduled after {@code from} were recorded. */
  private static void awaitFiresAfter(TestPostgres.Database db, Instant from, int n) {
    org.awaitility.Awaitility.await(n + " fires after " + from)
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptionsInstanceOf(java.sql.SQLException.class)
        .until(() -> scheduledRuns(db).keySet().stream().filter(f -> f.isAfter(from)).count() >= n);
  }

  /**
   * scheduled_for -> instances that recorded a run for it (the unique index would reject a second
   * row).
   */
  private static Map<Instant, List<String>> scheduledRuns(TestPostgres.Database db)
      throws Exception {
    Map<Instant, List<String>> out = new TreeMap<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT scheduled_for, instance_id FROM cluster_state.job_run"
                    + " WHERE trigger = 'schedule' ORDER BY scheduled_for")) {
      while (rs.next()) {
        out.computeIfAbsent(
                rs.getObject(1, OffsetDateTime.class).toInstant(), k -> new ArrayList<>())
            .add(rs.getString(2));
      }
    }
    return out;
  }

  private static void assertNoFireRanTwice(Map<Instant, List<String>> fires) {
    fires.forEach((at, who) -> assertThat(who).as("fire at " + at).hasSize(1));
  }

  private static void assertEveryFireRan(
      Map<Instant, List<String>> fires, Instant from, Instant to) {
    List<Instant> expected = new ArrayList<>();
    long first = (from.getEpochSecond() + 1) / 2 * 2;
    for (long t = first; t <= to.getEpochSecond(); t += 2) {
      expected.add(Instant.ofEpochSecond(t));
    }
    assertThat(expected).as("fires between " + from + " and " + to).isNotEmpty();
    assertThat(fires.keySet()).containsAll(expected);
  }
}
