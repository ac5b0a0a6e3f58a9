package io.pgvectorops.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jackson.Jackson;
import io.pgvectorops.jobs.RecallReadings;
import io.pgvectorops.jobs.tally.TallyJob;
import io.pgvectorops.kinds.JobKinds;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.wiring.Components;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * An installation upgrades in place: a state schema as the release before kinds owned their data
 * left it (migrations up to V16, with a run, a finding and a regression series in it) is opened by
 * this build, with a kind that brings tables of its own; nothing recorded is lost and the kind's
 * tables appear beside the daemon's.
 */
class StateUpgradeTest {
  /** The last migration of the release before kinds owned their data. */
  private static final String PREVIOUS_RELEASE = "16";

  @Test
  void aSchemaOfThePreviousReleaseKeepsItsRunsFindingsAndSeries() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("upgrade");
    Flyway.configure()
        .dataSource(db.url(), db.user(), db.password())
        .schemas("upgrade_state")
        .defaultSchema("upgrade_state")
        .locations("classpath:sql/state")
        .placeholderReplacement(false)
        .target(PREVIOUS_RELEASE)
        .load()
        .migrate();
    db.execute(
        "SET search_path = upgrade_state",
        "INSERT INTO job_run (id, job, kind, target, trigger, started_at, ended_at, status, summary,"
            + " instance_id, owner_key) VALUES (41, 'regression', 'regression', 'main', 'schedule',"
            + " now() - interval '1 hour', now() - interval '59 minutes', 'succeeded',"
            + " '{\"measured\": 1}', 'old', 1)",
        "INSERT INTO finding (job, target, object, kind, severity, message, first_seen, last_seen,"
            + " first_run_id, last_run_id) VALUES ('regression', 'main', 'public.items_hnsw',"
            + " 'recall-regression', 'warning', 'recall fell', now(), now(), 41, 41)",
        "INSERT INTO regression_probe_set (id, target, index_name, label, spec, table_name,"
            + " column_expr, column_type, operator, created_at) VALUES (7, 'main',"
            + " 'public.items_hnsw', 'all rows', '{}', 'public.items', 'embedding', 'vector',"
            + " '<->', now() - interval '1 day')",
        "INSERT INTO regression_point (id, probe_set_id, run_id, measured_at, recall, p50_ms,"
            + " p95_ms, p99_ms, settings, index_definition, plan_uses_index, recall_breach,"
            + " latency_breach) VALUES (70, 7, 41, now() - interval '59 minutes', 0.931, 1.5, 3.2,"
            + " 4.0, '{}', 'CREATE INDEX items_hnsw ...', true, false, false)",
        "INSERT INTO regression_baseline (probe_set_id, point_id, reason, pinned_at)"
            + " VALUES (7, 70, 'first good run', now())");

    var config = Stack.config(db, "upgrade_state", Files.createTempDirectory("upgrade"));
    List<io.pgvectorops.jobs.JobKind> kinds =
        Stream.concat(JobKinds.AVAILABLE.stream(), Stream.of(TallyJob.KIND)).toList();
    try (Components c =
        Components.open(
            config,
            Jackson.newObjectMapper(),
            "upgrade-test",
            Clock.systemUTC(),
            new PrometheusRegistry(),
            kinds)) {
      assertThat(c.runs.get(41).orElseThrow().summary().get("measured").asInt()).isEqualTo(1);
      assertThat(c.findings.openOfKind("recall-regression", "main"))
          .singleElement()
          .satisfies(f -> assertThat(f.message()).isEqualTo("recall fell"));
      RecallReadings recall = c.kinds.provided(RecallReadings.class).orElseThrow();
      assertThat(recall.latestOfTarget("main"))
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.index()).isEqualTo("public.items_hnsw");
                assertThat(l.recall()).isEqualTo(0.931);
              });
    }
    assertThat(db.queryLong("SELECT count(*) FROM upgrade_state.tally_runs")).isZero();
    assertThat(db.queryString("SELECT max(version) FROM upgrade_state.tally_schema_history"))
        .isEqualTo("1");
    long kindHistory = db.queryLong("SELECT count(*) FROM upgrade_state.tally_schema_history");
    long coreHistory = db.queryLong("SELECT count(*) FROM upgrade_state.flyway_schema_history");
    // a restart migrates nothing more, the kind's history included
    Components.open(
            config,
            Jackson.newObjectMapper(),
            "upgrade-test",
            Clock.systemUTC(),
            new PrometheusRegistry(),
            kinds)
        .close();
    assertThat(db.queryLong("SELECT count(*) FROM upgrade_state.tally_schema_history"))
        .isEqualTo(kindHistory);
    assertThat(db.queryLong("SELECT count(*) FROM upgrade_state.flyway_schema_history"))
        .isEqualTo(coreHistory);
  }
}
