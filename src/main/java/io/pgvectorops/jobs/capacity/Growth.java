package io.pgvectorops.jobs.capacity;

import io.pgvectorops.state.TargetInventory.Sample;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Growth per day from daily figures, by the Theil–Sen estimator: the median of the slopes between
 * every two days. One odd day (a rebuild that shrank the index, a bulk load) moves it little, where
 * a least-squares line would follow it.
 *
 * @param days the distinct days it rests on
 */
record Growth(double perDay, int days) {
  /** One day's figure. */
  record Point(LocalDate day, double value) {}

  /** Bytes per day of an index's size. */
  static Growth of(List<Sample> samples) {
    return fit(samples.stream().map(s -> new Point(s.day(), s.sizeBytes())).toList());
  }

  static Growth fit(List<Point> points) {
    List<Double> slopes = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      for (int j = i + 1; j < points.size(); j++) {
        long dx = points.get(j).day().toEpochDay() - points.get(i).day().toEpochDay();
        if (dx != 0) {
          slopes.add((points.get(j).value() - points.get(i).value()) / dx);
        }
      }
    }
    int days = (int) points.stream().map(Point::day).distinct().count();
    if (slopes.isEmpty()) {
      return new Growth(0, days);
    }
    Collections.sort(slopes);
    int n = slopes.size();
    double median =
        n % 2 == 1 ? slopes.get(n / 2) : (slopes.get(n / 2 - 1) + slopes.get(n / 2)) / 2;
    return new Growth(median, days);
  }
}
