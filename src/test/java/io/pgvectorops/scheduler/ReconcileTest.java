package io.pgvectorops.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.config.OpsConfiguration;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up makes Quartz's store match the job files: added, changed and removed files. */
class ReconcileTest {
  @TempDir Path dir;

  private Map<String, String> triggers(TestPostgres.Database db) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT t.trigger_name, c.cron_expression, t.next_fire_time FROM reconcile_state.qrtz_triggers t"
                    + " JOIN reconcile_state.qrtz_cron_triggers c USING (sched_name, trigger_name, trigger_group)"
                    + " WHERE t.sched_name = 'reconcile-test'")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2) + " @" + rs.getLong(3));
      }
    }
    return out;
  }

  private void startAndStop(OpsConfiguration config) throws Exception {
    try (Components c = Stack.open(config, Clock.systemUTC())) {
      QuartzScheduler q =
          new QuartzScheduler(
              config.scheduler, "reconcile-1", c.state, c.catalog, c.targets, c.runner);
      q.start();
      q.stop();
    }
  }

  @Test
  void addedChangedAndRemovedJobFilesReachTheStore() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("reconcile");
    Path jobs = dir.resolve("jobs");
    OpsConfiguration config = Stack.config(db, "reconcile_state", jobs);
    config.scheduler.name = "reconcile-test";
    Files.writeString(
        jobs.resolve("keep.yml"), "name: keep\nkind: health\nschedule: '0 0 3 * * ?'\n");
    Files.writeString(
        jobs.resolve("change.yml"), "name: change\nkind: health\nschedule: '0 0 4 * * ?'\n");
    Files.writeString(
        jobs.resolve("drop.yml"), "name: drop\nkind: health\nschedule: '0 0 5 * * ?'\n");
    startAndStop(config);
    Map<String, String> before = triggers(db);
    assertThat(before).containsOnlyKeys("keep@main", "change@main", "drop@main");

    Files.writeString(
        jobs.resolve("change.yml"), "name: change\nkind: health\nschedule: '0 30 4 * * ?'\n");
    Files.delete(jobs.resolve("drop.yml"));
    Files.writeString(
        jobs.resolve("new.yml"), "name: new\nkind: health\nschedule: '0 0 6 * * ?'\n");
    startAndStop(config);
    Map<String, String> after = triggers(db);
    assertThat(after).containsOnlyKeys("keep@main", "change@main", "new@main");
    assertThat(after.get("change@main")).startsWith("0 30 4 * * ?");
    // an unchanged trigger is kept as it was, next fire time included
    assertThat(after.get("keep@main")).isEqualTo(before.get("keep@main"));
  }
}
