package io.pgvectorops.jobs.regression;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ground-truth scan's batched distances are bit for bit the one-pair-at-a-time ones (the
 * reference, which follows pgvector's C code), for every distance, odd sizes and zero vectors.
 */
class ProbeDistancesTest {
  @Test
  void batchedDistancesAreBitForBitThePairwiseOnes() {
    Random random = new Random(7);
    for (Distance distance : Distance.values()) {
      for (int[] shape : new int[][] {{1, 1}, {3, 7}, {50, 128}, {17, 769}, {64, 3}}) {
        int probes = shape[0];
        int dims = shape[1];
        float[][] queries = new float[probes][];
        for (int p = 0; p < probes; p++) {
          queries[p] = vector(random, dims, p == 1); // a zero probe: cosine is NaN
        }
        ProbeDistances batched = new ProbeDistances(distance, queries);
        double[] out = new double[probes];
        for (int row = 0; row < 40; row++) {
          float[] v = vector(random, dims, row == 3);
          batched.compute(v, out);
          for (int p = 0; p < probes; p++) {
            assertThat(Double.doubleToRawLongBits(out[p]))
                .as("%s, %d probes x %d dims, row %d, probe %d", distance, probes, dims, row, p)
                .isEqualTo(Double.doubleToRawLongBits(distance.between(queries[p], v)));
          }
        }
      }
    }
  }

  @Test
  void aRowOfAnotherLengthIsComputedPairwise() {
    float[][] queries = {{1, 2, 3}, {0, 1, 0}};
    ProbeDistances batched = new ProbeDistances(Distance.l2, queries);
    double[] out = new double[2];
    batched.compute(new float[] {1, 2, 3, 4}, out);
    assertThat(out).containsExactly(0.0, Distance.l2.between(queries[1], new float[] {1, 2, 3, 4}));
  }

  private static float[] vector(Random random, int dims, boolean zero) {
    float[] v = new float[dims];
    for (int i = 0; i < dims && !zero; i++) {
      v[i] = (float) (random.nextGaussian() * (1 + random.nextInt(1000)));
    }
    return v;
  }
}
