package io.pgvectorops.jobs.quantization;

import io.pgvectorops.jobs.RecallReadings;
import io.pgvectorops.jobs.RecallReadings.Latest;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether the trial tries the index with half its m, and why. Half the neighbours per element is a
 * smaller graph that reaches fewer true neighbours at the same ef_search, so it is tried only where
 * the regression job measured the index over all its rows, through the index, at or above the
 * target recall: there is recall to trade for size. The trial then measures what is left of it.
 */
record HalfM(boolean tried, String why) {
  static HalfM of(
      TrialParams p, TrialIndex index, Optional<RecallReadings> readings, String target) {
    int m = index.facts().option("m", 16);
    if (!p.tryHalfM) {
      return notTried("tryHalfM is false");
    }
    if (m < Shape.HALF_M_FROM) {
      return notTried(
          "m = " + m + " is small already (half m is tried from m = " + Shape.HALF_M_FROM + ")");
    }
    Optional<Latest> latest = allRows(readings, target, index.object());
    if (latest.isEmpty()) {
      return notTried(
          "no regression job has measured "
              + index.object()
              + " over all its rows through the index, so nothing says its recall has room");
    }
    Latest l = latest.get();
    String measured =
        String.format(
            Locale.ROOT,
            "the regression job measured recall@%s %.3f on %s at %s",
            l.k(),
            l.recall(),
            index.object(),
            l.measuredAt());
    if (l.recall() < p.targetRecall) {
      return notTried(
          measured + ", below the target " + p.targetRecall + ": a sparser graph would lose more");
    }
    return new HalfM(
        true,
        "tried: "
            + measured
            + " (target "
            + p.targetRecall
            + "), so m = "
            + m / 2
            + " is tried beside m = "
            + m);
  }

  private static HalfM notTried(String why) {
    return new HalfM(false, "not tried: " + why);
  }

  /** The regression job's latest measurement of the index over all its rows, through the index. */
  private static Optional<Latest> allRows(
      Optional<RecallReadings> readings, String target, String index) {
    return readings.flatMap(
        r ->
            r.latestOfTarget(target).stream()
                .filter(l -> l.index().equals(index))
                .filter(l -> l.label().equals(RecallReadings.ALL_ROWS) && l.planUsesIndex())
                .findFirst());
  }
}
