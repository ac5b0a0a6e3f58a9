package io.pgvectorops.jobs.regression;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.scheduler.Trigger;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An IVFFlat index of one list is valid (pgvector accepts lists = 1): its sweep tries probes = 1
 * and measures, instead of setting ivfflat.probes to 0 and failing.
 */
@VectorSet
class OneListIndexTest {
  @TempDir Path dir;

  @Test
  void anIvfflatIndexOfOneListIsMeasured() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("one_list");
    db.execute(
        "SELECT setseed(0.1)",
        "CREATE TABLE items (id bigserial PRIMARY KEY, e vector(8))",
        "INSERT INTO items (e) SELECT rv(8) FROM generate_series(1, 3000)",
        "CREATE INDEX items_one_list ON items USING ivfflat (e vector_l2_ops) WITH (lists = 1)",
        "ANALYZE items");
    String job =
        "name: regression\nkind: regression\nschedule: '0 0 * * * ?'\n"
            + "params: {probes: 10, k: 10, repetitions: 1, targetRecall: 1.0}\n";
    try (Components c = Stack.withJobs(db, "one_list_state", dir, Map.of("regression.yml", job))) {
      RunOutcome o =
          c.runner.run(
              c.catalog.get("regression").orElseThrow(),
              c.targets.get("main").orElseThrow(),
              Trigger.manual,
              null,
              false);
      assertThat(o.status()).as(String.valueOf(o.error())).isEqualTo(RunStatus.succeeded);
      assertThat(o.findings()).extracting(Finding::kind).doesNotContain("measurement-failed");
      assertThat(o.summary().toString()).contains("items_one_list").contains("recall=");
    }
  }
}
