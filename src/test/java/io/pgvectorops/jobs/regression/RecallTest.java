package io.pgvectorops.jobs.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pgvectorops.jobs.Percentiles;
import io.pgvectorops.jobs.Recall;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The pure parts of the regression job: recall by distance, top-k, pgvector's distances. */
class RecallTest {
  @Test
  void aRowTiedWithTheKthNeighbourIsAHitAndAFartherOneIsNot() {
    double[] exact = {1.0, 2.0, 3.0};
    assertThat(Recall.of(exact, new double[] {1.0, 2.0, 3.0}, 3)).isEqualTo(1.0);
    // another row at the k-th distance (a tie): still right
    assertThat(Recall.of(exact, new double[] {1.0, 3.0, 3.0}, 3)).isEqualTo(1.0);
    assertThat(Recall.of(exact, new double[] {1.0, 2.0, 3.5}, 3)).isCloseTo(2.0 / 3, within(1e-9));
    // negative distances (inner product): the tolerance widens toward zero, not away from it
    assertThat(Recall.of(new double[] {-9, -8}, new double[] {-9, -8}, 2)).isEqualTo(1.0);
    // fewer matching rows than k: recall over what exists; none: left out of the mean
    assertThat(Recall.of(new double[] {1.0}, new double[] {1.0}, 10)).isEqualTo(1.0);
    assertThat(Recall.of(new double[] {}, new double[] {}, 10)).isNaN();
    assertThat(Recall.mean(new double[] {1.0, Double.NaN, 0.5})).isEqualTo(0.75);
    // 21 full queries and 4 at 0.9: a plain average gives 0.9840000000000001
    double[] twentyFive = new double[25];
    Arrays.fill(twentyFive, 1.0);
    Arrays.fill(twentyFive, 21, 25, 0.9);
    assertThat(Recall.mean(twentyFive)).isEqualTo(0.984);
  }

  @Test
  void starvedMeansFewerThanKReturnedAlthoughKMatch() {
    assertThat(Recall.starved(new double[10], new double[3], 10)).isTrue();
    assertThat(Recall.starved(new double[3], new double[3], 10)).isFalse();
    assertThat(Recall.starved(new double[10], new double[10], 10)).isFalse();
  }

  @Test
  void topKKeepsTheSmallest() {
    TopK t = new TopK(3);
    for (double d : new double[] {5, 1, 4, 2, 3, 0.5, 9}) {
      t.offer(d);
    }
    assertThat(t.sorted()).containsExactly(0.5, 1, 2);
    assertThat(t.bound()).isEqualTo(2);
  }

  @Test
  void distancesFollowPgvector() {
    float[] a = {1, 0, 0};
    float[] b = {0, 1, 0};
    assertThat(Distance.l2.between(a, b)).isCloseTo(Math.sqrt(2), within(1e-6));
    assertThat(Distance.innerProduct.between(new float[] {1, 2}, new float[] {3, 4}))
        .isEqualTo(-11.0);
    assertThat(Distance.cosine.between(a, b)).isCloseTo(1.0, within(1e-9));
    assertThat(Distance.cosine.between(a, new float[] {0, 0, 0})).isNaN();
    assertThat(Distance.l1.between(new float[] {1, 2}, new float[] {3, 5})).isEqualTo(5.0);
    assertThat(Distance.of("halfvec_cosine_ops")).isEqualTo(Distance.cosine);
    assertThat(Distance.of("bit_hamming_ops")).isNull();
  }

  @Test
  void percentilesAreNearestRank() {
    double[] ms = new double[100];
    for (int i = 0; i < 100; i++) {
      ms[i] = i + 1;
    }
    Percentiles p = Percentiles.of(ms);
    assertThat(p.p50()).isEqualTo(50);
    assertThat(p.p95()).isEqualTo(95);
    assertThat(p.p99()).isEqualTo(99);
  }
}
