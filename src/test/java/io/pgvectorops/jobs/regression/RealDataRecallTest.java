package io.pgvectorops.jobs.regression;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.testing.embeddings.RealEmbeddings;
import io.pgvectorops.testing.embeddings.RealTable;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regression job on real sentence embeddings (5,000 WordNet glosses, all-MiniLM-L6-v2), where
 * recall at pgvector's defaults is what operators see, not the worst case of uniformly random
 * vectors: the baseline meets the 0.95 target, and the application's role losing its ef_search is a
 * recall regression.
 */
@VectorSet
class RealDataRecallTest {
  @TempDir Path dir;

  @Test
  void theHnswBaselineMeetsTheTargetAndALowerEfSearchForTheApplicationIsARegression()
      throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("real_recall");
    RealTable.load(db, "glosses", RealEmbeddings.documents(5000));
    String app = "real_recall_app";
    db.execute(
        "CREATE INDEX glosses_hnsw ON glosses USING hnsw (e vector_cosine_ops)",
        "ANALYZE",
        "DROP ROLE IF EXISTS " + app,
        "CREATE ROLE " + app);
    String job =
        "name: regression\nkind: regression\nschedule: '0 0 * * * ?'\n"
            + "params:\n  probes: 50\n  sweep: false\n  repetitions: 1\n  consecutiveRuns: 2\n"
            + "  indexes:\n    - {index: glosses_hnsw, label: application, applicationRole: "
            + app
            + "}\n";
    try (Components c =
        Stack.withJobs(db, "real_recall_state", dir, Map.of("regression.yml", job))) {
      RunOutcome first = RegressionTest.run(c, "regression");
      Map<String, Object> base = RegressionTest.set(first, "public.glosses_hnsw", "application");
      double baseline = ((Number) base.get("recall")).doubleValue();
      System.out.printf("RealDataRecallTest: recall@10 at the defaults %.3f%n", baseline);
      assertThat(base.get("note")).isEqualTo("baseline: first good run");
      assertThat(baseline).isGreaterThanOrEqualTo(0.95);
      assertThat(of(first, "tuning-advice")).as("the target is met").isEmpty();

      db.execute("ALTER ROLE " + app + " SET hnsw.ef_search = 10");
      RunOutcome second = RegressionTest.run(c, "regression");
      double lowered =
          ((Number) RegressionTest.set(second, "public.glosses_hnsw", "application").get("recall"))
              .doubleValue();
      System.out.printf("RealDataRecallTest: recall@10 at ef_search 10 %.3f%n", lowered);
      assertThat(lowered).isLessThan(baseline - 0.02);
      RunOutcome third = RegressionTest.run(c, "regression");
      assertThat(of(third, "recall-regression"))
          .singleElement()
          .satisfies(
              f ->
                  assertThat(f.message())
                      .contains("below its baseline")
                      .contains("hnsw.ef_search"));
    } finally {
      db.execute("DROP ROLE IF EXISTS " + app);
    }
  }

  private static List<Finding> of(RunOutcome o, String kind) {
    return o.findings().stream().filter(f -> f.kind().equals(kind)).toList();
  }
}
