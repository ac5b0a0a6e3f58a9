package io.pgvectorops.jobs;

import java.util.Arrays;

/** Latency percentiles (nearest rank) of a run's timed queries, in milliseconds. */
public record Percentiles(double p50, double p95, double p99, int samples) {
  public static Percentiles of(double[] millis) {
    if (millis.length == 0) {
      return new Percentiles(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    return new Percentiles(
        rank(sorted, 0.50), rank(sorted, 0.95), rank(sorted, 0.99), sorted.length);
  }

  private static double rank(double[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return round(sorted[Math.max(0, Math.min(sorted.length - 1, i))]);
  }

  static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
