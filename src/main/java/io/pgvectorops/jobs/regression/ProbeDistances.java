package io.pgvectorops.jobs.regression;

import java.util.Arrays;

/**
 * The distances from one table row to every probe at once, for the ground-truth scan. The probes
 * are stored by dimension (one array per dimension holding every probe's coordinate), so the inner
 * loop runs over probes: independent sums, and the same index into both arrays, which HotSpot's C2
 * compiles to SIMD instructions (with an offset into one array it does not). Each probe's sum still
 * adds its terms in dimension order with a separate multiply and add (Java never fuses them), so
 * every distance is bit for bit what {@link Distance#between} returns; only the loop order differs.
 * That is why the work is spread over probes and not over dimensions, which would reorder each sum.
 */
final class ProbeDistances {
  private final Distance distance;
  private final float[][] queries;
  private final int dims;
  private final float[][] byDimension;
  private final float[] sums;
  private final float[] probeNorms;
  private final boolean batched;

  ProbeDistances(Distance distance, float[][] queries) {
    this.distance = distance;
    this.queries = queries;
    int probes = queries.length;
    this.dims = probes == 0 ? 0 : queries[0].length;
    this.byDimension = new float[dims][probes];
    this.sums = new float[probes];
    this.probeNorms = new float[probes];
    boolean sameLength = true;
    for (int p = 0; p < probes; p++) {
      sameLength &= queries[p].length == dims;
      for (int j = 0; j < dims && j < queries[p].length; j++) {
        byDimension[j][p] = queries[p][j];
      }
      probeNorms[p] = squaredNorm(queries[p]);
    }
    this.batched = sameLength;
  }

  /** Fills {@code out[p]} with the distance from {@code v} to probe p. */
  /** Euclidean distances, summed dimension by dimension over all probes at once. */
  private void l2(float[] v, double[] out) {
    float[] s = sums;
    for (int j = 0; j < dims; j++) {
      float[] q = byDimension[j];
      float x = v[j];
      for (int p = 0; p < s.length; p++) {
        float d = q[p] - x;
        s[p] += d * d;
      }
    }
    for (int p = 0; p < s.length; p++) {
      out[p] = Math.sqrt(s[p]);
    }
  }

  private void l1(float[] v, double[] out) {
    float[] s = sums;
    for (int j = 0; j < dims; j++) {
      float[] q = byDimension[j];
      float x = v[j];
      for (int p = 0; p < s.length; p++) {
        s[p] += Math.abs(q[p] - x);
      }
    }
    for (int p = 0; p < s.length; p++) {
      out[p] = s[p];
    }
  }

  void compute(float[] v, double[] out) {
    if (!batched || v.length != dims) {
      for (int p = 0; p < queries.length; p++) {
        out[p] = distance.between(queries[p], v);
      }
      return;
    }
    float[] s = sums;
    Arrays.fill(s, 0f);
    switch (distance) {
      case l2 -> l2(v, out);
      case innerProduct -> {
        dot(v);
        for (int p = 0; p < s.length; p++) {
          out[p] = -(double) s[p];
        }
      }
      case cosine -> {
        dot(v);
        float rowNorm = squaredNorm(v);
        for (int p = 0; p < s.length; p++) {
          out[p] = Distance.cosineOf(s[p], probeNorms[p], rowNorm);
        }
      }
      case l1 -> l1(v, out);
    }
  }

  private void dot(float[] v) {
    float[] s = sums;
    for (int j = 0; j < dims; j++) {
      float[] q = byDimension[j];
      float x = v[j];
      for (int p = 0; p < s.length; p++) {
        s[p] += q[p] * x;
      }
    }
  }

  /** The same sequential float sum as {@link Distance#cosine}'s na and nb. */
  private static float squaredNorm(float[] a) {
    float n = 0f;
    for (float x : a) {
      n += x * x;
    }
    return n;
  }
}
