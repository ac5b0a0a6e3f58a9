package io.pgvectorops.jobs.quantization;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgvectorops.catalog.IndexFacts;
import io.pgvectorops.jobs.quantization.TrialSummary.ShapeResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** From the sample to the whole table, and which shape is recommended: pure, on made-up rows. */
class EstimatesTest {
  static TrialIndex index(String type, double rows) {
    IndexFacts f =
        new IndexFacts(
            1,
            2,
            "public",
            "docs_hnsw",
            "docs",
            "hnsw",
            type,
            384,
            Map.of("m", "16"),
            0L,
            rows,
            true,
            false,
            "",
            null,
            false,
            null,
            List.of());
    return new TrialIndex(f, "embedding", type + "(384)", type + "_cosine_ops", "<=>", false);
  }

  static ShapeResult row(String shape, double recall, boolean reaches, long bytes) {
    return new ShapeResult(
        shape,
        "CREATE INDEX ...",
        "ORDER BY ...",
        bytes / 10,
        1.0,
        true,
        40,
        recall,
        0.5,
        1.0,
        reaches,
        List.of(),
        bytes,
        10.0,
        bytes,
        null,
        null);
  }

  @Test
  void theSmallestAlternativeThatReachesTheTargetIsRecommended() {
    String r =
        Estimates.recommendation(
            List.of(
                row("current", 0.98, true, 1000_000_000L),
                row("halfvec", 0.98, true, 500_000_000L),
                row("binary_quantize + re-rank", 0.96, true, 100_000_000L)),
            0.95);
    assertThat(r).startsWith("binary_quantize + re-rank: recall 0.960").contains("(10%)");
  }

  @Test
  void noneWhenNoAlternativeReachesTheTargetOrNoneIsSmaller() {
    assertThat(
            Estimates.recommendation(
                List.of(row("current", 0.98, true, 100), row("halfvec", 0.90, false, 50)), 0.95))
        .startsWith("none: no alternative reached");
    assertThat(
            Estimates.recommendation(
                List.of(row("current", 0.98, true, 100), row("halfvec", 0.97, true, 100)), 0.95))
        .startsWith("none: halfvec reaches the target but is not smaller");
  }

  @Test
  void sizesScaleWithTheLayoutAndBuildTimeAsNLogN() {
    TrialIndex i = index("vector", 100_000);
    long sample = Estimates.bytes(i, Shape.CURRENT, 8_000_000, 5_000);
    // the layout is linear in elements past the first page: twenty times the rows, ~twenty times
    assertThat((double) sample / 8_000_000).isBetween(19.5, 20.5);
    assertThat(Estimates.buildSeconds(i, 1.0, 5_000))
        .isEqualTo(Math.round(20 * Math.log(100_000) / Math.log(5_000) * 10) / 10.0);
    assertThat(Estimates.buildMemory(i, Shape.HALFVEC))
        .isLessThan(Estimates.buildMemory(i, Shape.CURRENT));
    // half m: half the neighbour lists, the same vectors
    assertThat(Estimates.buildMemory(i, Shape.HALF_M))
        .isLessThan(Estimates.buildMemory(i, Shape.CURRENT));
    assertThat(Shape.HALF_M.options(i)).startsWith("m = 8,");
    assertThat(Shape.HALF_M.definition(i)).contains("WITH (m = 8, ef_construction = 64)");
    assertThat(Shape.CURRENT.options(i)).startsWith("m = 16,");
  }

  @Test
  void aHalfvecColumnIsNotTriedAsHalfvecAgain() {
    assertThat(Shape.of(index("halfvec", 10), false))
        .containsExactly(Shape.CURRENT, Shape.BINARY_RERANK);
    assertThat(Shape.of(index("vector", 10), false))
        .containsExactly(Shape.CURRENT, Shape.HALFVEC, Shape.BINARY_RERANK);
    assertThat(Shape.of(index("vector", 10), true))
        .containsExactly(Shape.CURRENT, Shape.HALF_M, Shape.HALFVEC, Shape.BINARY_RERANK);
    assertThat(Shape.HALFVEC.key(index("vector", 10), "v")).isEqualTo("(v::halfvec(384))");
    assertThat(Shape.HALFVEC.opclass(index("vector", 10))).isEqualTo("halfvec_cosine_ops");
  }

  @Test
  void probesOutsideTheSampleAreReadFromAboutTwentyRowsEach() {
    assertThat(Probes.percentOfPages(50, 5_000)).isEqualTo(20.0);
    assertThat(Probes.percentOfPages(50, 20_000_000)).isEqualTo(0.005);
    assertThat(Probes.percentOfPages(5, 1e12)).isEqualTo(0.0001);
    assertThat(Probes.percentOfPages(50, 500)).isEqualTo(100.0);
  }
}
