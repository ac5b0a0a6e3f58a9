package io.pgvectorops.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The model against the page counts measured on PostgreSQL 15.20 + pgvector 0.8.0
 * (PGVECTOR-NOTES.md §1).
 */
class VectorIndexSizeModelTest {
  @Test
  void hnswMatchesTheMeasuredPageCounts() {
    // 20,000 rows, m = 16: measured 5001, 10001, 20001 pages
    assertThat(VectorIndexSizeModel.expectedPages("hnsw", "vector", 384, null, Map.of(), 20_000))
        .isEqualTo(5001);
    assertThat(VectorIndexSizeModel.expectedPages("hnsw", "vector", 768, null, Map.of(), 20_000))
        .isEqualTo(10001);
    assertThat(
            VectorIndexSizeModel.expectedPages(
                "hnsw", "vector", 1536, null, Map.of("m", "16"), 20_000))
        .isEqualTo(20001);
  }

  @Test
  void ivfflatIsWithinOnePercentOfTheMeasuredPageCounts() {
    // 20,000 rows, lists = 100: measured 4060, 10073, 20101 pages
    assertThat(
            (double)
                VectorIndexSizeModel.expectedPages(
                    "ivfflat", "vector", 384, null, Map.of(), 20_000))
        .isCloseTo(4060, within(41.0));
    assertThat(
            (double)
                VectorIndexSizeModel.expectedPages(
                    "ivfflat", "vector", 768, null, Map.of(), 20_000))
        .isCloseTo(10073, within(101.0));
    assertThat(
            (double)
                VectorIndexSizeModel.expectedPages(
                    "ivfflat", "vector", 1536, null, Map.of(), 20_000))
        .isCloseTo(20101, within(202.0));
  }

  @Test
  void typesAndUnknowns() {
    assertThat(VectorIndexSizeModel.varsize("halfvec", 384, null)).isEqualTo(776);
    assertThat(VectorIndexSizeModel.varsize("bit", 1024, null)).isEqualTo(136);
    assertThat(VectorIndexSizeModel.varsize("sparsevec", null, 416.0)).isEqualTo(416);
    assertThat(VectorIndexSizeModel.expectedPages("hnsw", "vector", null, null, Map.of(), 10))
        .isEqualTo(-1);
    assertThat(VectorIndexSizeModel.expectedPages("diskann", "vector", 3, null, Map.of(), 10))
        .isEqualTo(-1);
    // too big for one page with its neighbours: about two pages per element
    assertThat(VectorIndexSizeModel.expectedPages("hnsw", "vector", 2000, null, Map.of(), 100))
        .isEqualTo(201);
  }
}
