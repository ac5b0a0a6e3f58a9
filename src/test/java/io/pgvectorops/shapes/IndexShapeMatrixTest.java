package io.pgvectorops.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.findings.Finding;
import io.pgvectorops.jobs.RunStatus;
import io.pgvectorops.scheduler.RunOutcome;
import io.pgvectorops.shapes.IndexShapes.Shape;
import io.pgvectorops.testing.Stack;
import io.pgvectorops.testing.Summaries;
import io.pgvectorops.testing.TestPostgres;
import io.pgvectorops.testing.VectorSet;
import io.pgvectorops.wiring.Components;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every index shape pgvector supports and documents (IndexShapes) against every kind that deals
 * with vector indexes, on the test cluster: each kind handles each shape, or says with an info
 * finding naming it that it cannot; no run fails. The table in docs/index-shapes.md says the same.
 * Random vectors: whether a kind handles a shape does not depend on the data (the recall it checks
 * is only that one was measured).
 */
@VectorSet
class IndexShapeMatrixTest {
  @TempDir static Path dir;

  private static final String PARENT = "public.parted_hnsw";
  private static final List<String> LEAVES = IndexShapes.PARTITIONED.subList(1, 3);

  /** Each kind's run over all shapes, run once. */
  private static final Map<String, RunOutcome> RUNS = new LinkedHashMap<>();

  private static List<String> all() {
    return Stream.concat(
            IndexShapes.SHAPES.stream().map(Shape::qualified), IndexShapes.PARTITIONED.stream())
        .toList();
  }

  @BeforeAll
  static void everyKindRunsOnce() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("shapes");
    db.execute(IndexShapes.schema().toArray(String[]::new));
    Map<String, String> jobs =
        Map.of(
            "health.yml", "name: health\nkind: health\nschedule: '0 0 * * * ?'\n",
            "bloat.yml", "name: bloat\nkind: bloat\nschedule: '0 0 * * * ?'\n",
            "regression.yml",
                "name: regression\nkind: regression\nschedule: '0 0 * * * ?'\n"
                    + "params: {probes: 5, sweep: false, repetitions: 1}\n",
            "rebuild.yml",
                "name: rebuild\nkind: index-rebuild\nschedule: '0 0 3 * * ?'\n"
                    + "params: {maxIndexesPerRun: 100, vacuumAfter: false, indexes: ["
                    // the partitions come through their parent
                    + String.join(", ", all().stream().filter(i -> !LEAVES.contains(i)).toList())
                    + "]}\n",
            "prewarm.yml", "name: prewarm\nkind: prewarm\nschedule: '0 0 * * * ?'\n");
    try (Components c = Stack.withJobs(db, "shapes_state", dir, jobs)) {
      c.liveness.ensureHeld();
      for (String job : List.of("health", "bloat", "regression", "rebuild", "prewarm")) {
        RUNS.put(job, Stack.runNow(c, job));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(String job, String key) {
    return (List<Map<String, Object>>) Summaries.of(RUNS.get(job)).get(key);
  }

  private static Map<String, Object> entry(String job, String key, String field, String index) {
    return list(job, key).stream()
        .filter(m -> index.equals(m.get(field)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(job + " does not list " + index + " in " + key));
  }

  private static List<Finding> findings(String job) {
    return RUNS.get(job).findings();
  }

  @Test
  void noRunFails() {
    RUNS.forEach(
        (job, o) ->
            assertThat(o.status()).as(job + ": " + o.error()).isEqualTo(RunStatus.succeeded));
  }

  @Test
  void healthListsEveryShapeAndGroupsPartitionsUnderTheirParent() {
    for (String index : all()) {
      assertThat(entry("health", "vectorIndexes", "index", index)).containsEntry("valid", true);
    }
    Map<String, Object> parent = entry("health", "vectorIndexes", "index", PARENT);
    assertThat(parent.get("partitions")).isEqualTo(LEAVES);
    long sum =
        LEAVES.stream()
            .mapToLong(
                l ->
                    ((Number) entry("health", "vectorIndexes", "index", l).get("sizeBytes"))
                        .longValue())
            .sum();
    assertThat(((Number) parent.get("sizeBytes")).longValue()).isEqualTo(sum).isPositive();
    for (String leaf : LEAVES) {
      assertThat(entry("health", "vectorIndexes", "index", leaf))
          .containsEntry("partitionOf", PARENT);
    }
  }

  @Test
  void bloatModelsEveryShapeAndAFreshIndexIsCloseToItsModel() {
    for (String index : all()) {
      Map<String, Object> e = entry("bloat", "estimates", "index", index);
      long actual = ((Number) e.get("actualBytes")).longValue();
      long expected = ((Number) e.get("expectedBytes")).longValue();
      assertThat(expected).as(index).isPositive();
      // fresh indexes: the model within 10% or four pages, whichever is more, on these small
      // indexes (an IVFFlat of 10 lists is 12 to 17 pages, as k-means fills its lists unevenly);
      // bit within 25% (a documented overestimate)
      double tolerance = index.contains("bit_") || index.contains("binary") ? 0.25 : 0.10;
      assertThat(Math.abs(actual - expected))
          .as(index + ": actual " + actual + ", expected " + expected)
          .isLessThanOrEqualTo(Math.max((long) (tolerance * actual), 4 * 8192L));
    }
    assertThat(findings("bloat")).noneMatch(f -> f.severity() != Finding.Severity.info);
  }

  @Test
  void regressionMeasuresEveryShapeThroughItsOwnIndex() {
    for (String index : all()) {
      Map<String, Object> set = entry("regression", "probeSets", "index", index);
      assertThat(set).as(index).doesNotContainKeys("error", "skipped");
      assertThat(((Number) set.get("recall")).doubleValue()).as(index).isBetween(0.0, 1.0);
    }
    // the parent's queries are served by its partitions' indexes
    assertThat(entry("regression", "probeSets", "index", PARENT).get("plan").toString())
        .contains("parted_1_e_idx")
        .contains("parted_2_e_idx");
    assertThat(findings("regression"))
        .as("every shape's query uses its index")
        .noneMatch(f -> f.kind().equals("plan-not-using-index"));
    for (String reduced : List.of("public.expr_binary_quantize", "public.expr_subvector")) {
      assertThat(entry("regression", "probeSets", "index", reduced)).containsKey("rerank");
    }
  }

  @Test
  void rebuildRebuildsEveryShapeAndAPartitionedIndexPartitionByPartition() {
    for (String index : all()) {
      if (index.equals(PARENT)) {
        continue;
      }
      Map<String, Object> r = entry("rebuild", "rebuilt", "index", index);
      assertThat(r).as(index).doesNotContainKey("error");
    }
    assertThat(list("rebuild", "rebuilt")).noneMatch(r -> PARENT.equals(r.get("index")));
    assertThat(entry("rebuild", "notNow", "index", PARENT).get("reason").toString())
        .contains("partitioned index")
        .contains("2 partitions");
    for (String leaf : LEAVES) {
      assertThat(entry("rebuild", "rebuilt", "index", leaf).get("reason").toString())
          .contains("partition of " + PARENT);
    }
  }

  @Test
  void prewarmCoversEveryIndexWithStorageAndThePartitionsInsteadOfTheirParent() {
    for (String index : all()) {
      if (index.equals(PARENT)) {
        assertThat(list("prewarm", "relations")).noneMatch(r -> index.equals(r.get("relation")));
      } else {
        assertThat(entry("prewarm", "relations", "relation", index).get("sizeBytes"))
            .as(index)
            .isNotEqualTo(0);
      }
    }
  }

  @Test
  void anIndexTheModelCannotSizeIsAnInfoFindingNamingItsShape() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("shapes_unmodelled");
    // sparsevec has no fixed size: without statistics of the column the model has nothing to go on
    db.execute(
        "CREATE TABLE s (id bigserial PRIMARY KEY, e sparsevec(100))",
        "INSERT INTO s (e) SELECT '{1:0.5,7:0.25}/100' FROM generate_series(1, 200)",
        "CREATE INDEX s_hnsw ON s USING hnsw (e sparsevec_l2_ops)");
    try (Components c =
        Stack.withJobs(
            db,
            "shapes_unmodelled_state",
            dir.resolve("unmodelled"),
            Map.of("bloat.yml", "name: bloat\nkind: bloat\nschedule: '0 0 * * * ?'\n"))) {
      RunOutcome o = Stack.runNow(c, "bloat");
      assertThat(o.status()).isEqualTo(RunStatus.succeeded);
      assertThat(o.findings())
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.kind()).isEqualTo("index-not-modelled");
                assertThat(f.severity()).isEqualTo(Finding.Severity.info);
                assertThat(f.object()).isEqualTo("public.s_hnsw");
                assertThat(f.message()).contains("hnsw index of sparsevec").contains("ANALYZE s");
              });
    }
  }

  @Test
  void pgvectorRefusesAMultiColumnVectorIndex() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("shapes_multi");
    db.execute("CREATE TABLE m (tenant int, e vector(3))");
    for (String using :
        List.of("hnsw (e vector_l2_ops, tenant)", "ivfflat (e vector_l2_ops, tenant)")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> db.execute("CREATE INDEX ON m USING " + using))
          .hasMessageContaining("does not support multicolumn indexes");
    }
  }
}
