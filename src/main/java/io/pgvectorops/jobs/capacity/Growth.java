package io.pgvectorops.jobs.capacity;

import io.pgvectorops.state.InventoryStore.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Bytes per day from daily samples, by the Theil–Sen estimator: the median of the slopes between
 * every two days. One odd day (a rebuild that shrank the index, a bulk load) moves it little, where
 * a least-squares line would follow it.
 *
 * @param days the distinct days it rests on
 */
record Growth(double bytesPerDay, int days) {
  static Growth of(List<Sample> samples) {
    List<Double> slopes = new ArrayList<>();
    for (int i = 0; i < samples.size(); i++) {
      for (int j = i + 1; j < samples.size(); j++) {
        long dx = samples.get(j).day().toEpochDay() - samples.get(i).day().toEpochDay();
        if (dx != 0) {
          slopes.add((samples.get(j).sizeBytes() - samples.get(i).sizeBytes()) / (double) dx);
        }
      }
    }
    int days = (int) samples.stream().map(Sample::day).distinct().count();
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
