package io.pgvectorops.jobs;

import java.util.Arrays;

/**
 * recall@k of one query, by distance rather than by row: a returned row counts when it is no
 * farther than the k-th exact neighbour (plus a rounding tolerance), so among rows tied at the k-th
 * distance any is right. Pure, so it is tested on its own.
 */
public final class Recall {
  /** Relative tolerance: the server's SIMD sums and ours differ in the last bits of a float. */
  public static final double EPSILON = 1e-5;

  private Recall() {}

  /**
   * @param exact the exact neighbours' distances, ascending (fewer than k when fewer rows match)
   * @param approx the distances the index returned (at most k are counted)
   * @return hits / min(k, exact.length); NaN when no row matches at all (the query is left out)
   */
  public static double of(double[] exact, double[] approx, int k) {
    int expected = Math.min(k, exact.length);
    if (expected == 0) {
      return Double.NaN;
    }
    double limit = exact[expected - 1];
    limit += Math.abs(limit) * EPSILON + 1e-9;
    int hits = 0;
    for (int i = 0; i < Math.min(k, approx.length); i++) {
      if (approx[i] <= limit) {
        hits++;
      }
    }
    return Math.min(1.0, (double) hits / expected);
  }

  /**
   * The mean over queries, leaving out those no row matched; NaN when none is left. Rounded to four
   * places here, once, so that the figure judged, stored, shown by the API and written in findings
   * is one number (a raw mean of 25 queries reads 0.9840000000000001 beside a summary's 0.984).
   */
  public static double mean(double[] recalls) {
    return round(Arrays.stream(recalls).filter(r -> !Double.isNaN(r)).average().orElse(Double.NaN));
  }

  /** Four places, as recall is stored and shown; NaN stays NaN. */
  public static double round(double v) {
    return Double.isNaN(v) ? v : Math.round(v * 10000.0) / 10000.0;
  }

  /** Starved: the index returned fewer than k rows although at least k rows match. */
  public static boolean starved(double[] exact, double[] approx, int k) {
    return exact.length >= k && approx.length < k;
  }
}
