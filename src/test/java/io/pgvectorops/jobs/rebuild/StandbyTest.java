package io.pgvectorops.jobs.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.Summaries;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.wiring.Components;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Write jobs against a real physical standby (pg_basebackup -R) are skipped (index-rebuild, and the
 * quantization-trial, which writes only in its scratch schema); read jobs still run.
 */
@VectorSet
class StandbyTest {
  @TempDir Path dir;

  @Test
  void indexRebuildAndTheTrialSkipAStandbyAndBloatStillReadsIt() throws Exception {
    TestPostgres.Database primary = TestPostgres.newDatabase("standby");
    primary.execute(
        "CREATE TABLE docs (id bigserial PRIMARY KEY, e vector(3))",
        "INSERT INTO docs (e) SELECT '[1,2,3]' FROM generate_series(1, 100)",
        "CREATE INDEX docs_hnsw ON docs USING hnsw (e vector_l2_ops)");
    TestPostgres.Database replica = TestPostgres.standby(primary);
    Path jobs = dir.resolve("jobs");
    Files.createDirectories(jobs);
    Files.writeString(
        jobs.resolve("rebuild.yml"),
        "name: rebuild\nkind: index-rebuild\nschedule: '0 0 3 * * ?'\n"
            + "params:\n  indexes: [public.docs_hnsw]\n");
    Files.writeString(
        jobs.resolve("bloat.yml"), "name: bloat\nkind: bloat\nschedule: '0 0 3 * * ?'\n");
    Files.writeString(
        jobs.resolve("trial.yml"),
        "name: trial\nkind: quantization-trial\nschedule: '0 0 3 * * ?'\n"
            + "params:\n  index: public.docs_hnsw\n");
    // the target is the standby; the state schema stays on the primary
    var config = Stack.config(primary, "standby_state", jobs);
    config.targets.get(0).url = replica.url();
    config.state.url = primary.url();
    config.state.user = primary.user();
    try (Components c = Stack.open(config, Clock.systemUTC())) {
      c.liveness.ensureHeld();
      var target = c.targets.get("main").orElseThrow();
      RunOutcome rebuild =
          c.runner.run(c.catalog.get("rebuild").orElseThrow(), target, Trigger.manual, null, false);
      assertThat(rebuild.status()).isEqualTo(RunStatus.skipped);
      assertThat(Summaries.of(rebuild).get("skipped").toString()).contains("is a standby");
      // the trial would copy its sample and build indexes in a scratch schema: a write
      RunOutcome trial =
          c.runner.run(c.catalog.get("trial").orElseThrow(), target, Trigger.manual, null, false);
      assertThat(trial.status()).isEqualTo(RunStatus.skipped);
      assertThat(Summaries.of(trial).get("skipped").toString()).contains("is a standby");
      RunOutcome bloat =
          c.runner.run(c.catalog.get("bloat").orElseThrow(), target, Trigger.manual, null, false);
      assertThat(bloat.status()).as(String.valueOf(bloat.error())).isEqualTo(RunStatus.succeeded);
    }
  }
}
