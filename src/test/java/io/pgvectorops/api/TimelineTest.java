package io.pgvectorops.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.jobs.IndexFigures;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.state.AuditStore;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target's "what changed": real runs of regression (recall moved by the database's ef_search, a
 * recall-below-target opened and resolved) and index-rebuild, an upgrade seen by two runs that
 * report versions, and a reload in the audit trail, read back newest first.
 */
class TimelineTest {
  @TempDir Path dir;

  @Test
  void aTargetsTimelineHoldsFindingsRecallMovesRebuildsUpgradesAndReloadsNewestFirst()
      throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("timeline");
    db.execute(
        "CREATE TABLE items (id bigserial PRIMARY KEY, e vector(128))",
        "INSERT INTO items (e) SELECT rv(128) FROM generate_series(1, 4000)",
        "CREATE INDEX items_hnsw ON items USING hnsw (e vector_l2_ops)"
            + " WITH (m = 32, ef_construction = 200)",
        "ANALYZE");
    String never = "schedule: '0 0 0 1 1 ?'\n";
    Map<String, String> jobs =
        Map.of(
            "regression.yml",
            "name: regression\nkind: regression\n"
                + never
                + "params: {probes: 25, sweep: false, repetitions: 1}\n",
            "rebuild.yml",
            "name: rebuild\nkind: index-rebuild\n"
                + never
                + "params: {indexes: [public.items_hnsw], maxParallelWorkers: 0}\n");
    try (Components c = Stack.withJobs(db, "timeline_state", dir, jobs)) {
      Instant start = c.clock.instant().minusSeconds(1);
      // a densely built graph of 4,000 rows meets the 0.95 target at ef_search 40 (0.99 and
      // more measured on 0.8.0 and 0.8.7, with the planner still on the index); ef_search 8
      // returns at most 8 of the 10 neighbours
      db.execute("ALTER DATABASE " + db.name() + " SET hnsw.ef_search = 40");
      run(c, "regression");
      db.execute("ALTER DATABASE " + db.name() + " SET hnsw.ef_search = 8");
      run(c, "regression");
      db.execute("ALTER DATABASE " + db.name() + " SET hnsw.ef_search = 40");
      run(c, "rebuild");
      run(c, "regression");
      // the run before the upgrade is older than the period asked for: the change is still seen
      db.execute(
          "INSERT INTO timeline_state.job_run (job, kind, target, trigger, started_at, ended_at,"
              + " status, summary, instance_id, owner_key) VALUES"
              + " ('health', 'health', 'main', 'manual', now() - interval '1 hour',"
              + " now() - interval '1 hour',"
              + " 'succeeded', '{\"serverVersion\": \"15.10\", \"pgvector\": \"0.8.0\"}', 't', 0),"
              + " ('health', 'health', 'main', 'manual', now(), now(),"
              + " 'succeeded', '{\"serverVersion\": \"15.10\", \"pgvector\": \"0.8.1\"}', 't', 0)");
      c.audit.record(
          new AuditStore.Entry(
              0,
              c.clock.instant(),
              "ops",
              "admin",
              "127.0.0.1",
              "reload",
              "config.yml",
              AuditStore.Outcome.succeeded,
              200,
              "applied"));

      List<Timeline.Event> events =
          new Timeline(c.findings, c.runs, c.audit, IndexFigures.of(c.kinds))
              .of("main", start, 200);
      events.forEach(e -> System.out.println("TimelineTest: " + e));
      assertThat(events).isSortedAccordingTo(Comparator.comparing(Timeline.Event::at).reversed());
      assertThat(events)
          .extracting(Timeline.Event::kind)
          .contains(
              Timeline.Kind.FINDING_OPENED,
              Timeline.Kind.FINDING_RESOLVED,
              Timeline.Kind.RECALL_CHANGED,
              Timeline.Kind.REBUILD,
              Timeline.Kind.VERSION_CHANGED,
              Timeline.Kind.RELOAD);
      assertThat(events)
          .filteredOn(e -> e.kind() == Timeline.Kind.RECALL_CHANGED)
          .hasSize(2)
          .allSatisfy(e -> assertThat(e.object()).isEqualTo("public.items_hnsw [all rows]"))
          .anySatisfy(e -> assertThat(e.text()).contains("hnsw.ef_search=8"));
      assertThat(events)
          .filteredOn(e -> e.kind() == Timeline.Kind.FINDING_RESOLVED)
          .anySatisfy(e -> assertThat(e.text()).startsWith("recall-below-target resolved"));
      assertThat(events)
          .filteredOn(e -> e.kind() == Timeline.Kind.VERSION_CHANGED)
          .singleElement()
          .satisfies(e -> assertThat(e.text()).isEqualTo("pgvector 0.8.0 -> 0.8.1"));
      assertThat(events)
          .filteredOn(e -> e.kind() == Timeline.Kind.RELOAD)
          .singleElement()
          .satisfies(e -> assertThat(e.text()).contains("by ops (127.0.0.1): applied"));
      // a period that ends before all of it holds none of it
      assertThat(
              new Timeline(c.findings, c.runs, c.audit, IndexFigures.of(c.kinds))
                  .of("main", c.clock.instant().plus(Duration.ofMinutes(1)), 200))
          .isEmpty();
    }
  }

  private static void run(Components c, String job) {
    var o = Stack.runNow(c, job);
    assertThat(o.status()).as(job + ": " + o.error()).isEqualTo(RunStatus.succeeded);
  }
}
