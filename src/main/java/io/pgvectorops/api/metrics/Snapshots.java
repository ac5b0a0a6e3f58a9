package io.pgvectorops.api.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Data points gathered by metric name, then one snapshot per name (the model wants that). */
final class Snapshots {
  private enum Type {
    GAUGE,
    COUNTER,
    INFO
  }

  private record Point(double value, Labels labels) {}

  private record Family(Type type, String help, List<Point> points) {}

  private final Map<String, Family> byName = new LinkedHashMap<>();

  /**
   * @param labels name, value, name, value, ...
   */
  void gauge(String name, String help, double value, String... labels) {
    add(name, Type.GAUGE, help, value, labels);
  }

  /**
   * @param name without {@code _total}, which the exposition adds
   */
  void counter(String name, String help, double value, String... labels) {
    add(name, Type.COUNTER, help, value, labels);
  }

  /**
   * @param name without {@code _info}, which the exposition adds
   */
  void info(String name, String help, String... labels) {
    add(name, Type.INFO, help, 1, labels);
  }

  private void add(String name, Type type, String help, double value, String... labels) {
    byName
        .computeIfAbsent(name, n -> new Family(type, help, new ArrayList<>()))
        .points()
        .add(new Point(value, Labels.of(labels)));
  }

  MetricSnapshots build() {
    List<MetricSnapshot> out = new ArrayList<>();
    byName.forEach((name, f) -> out.add(snapshot(name, f)));
    return new MetricSnapshots(out);
  }

  private static MetricSnapshot snapshot(String name, Family f) {
    return switch (f.type()) {
      case GAUGE -> {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(f.help());
        f.points()
            .forEach(
                p ->
                    b.dataPoint(
                        GaugeSnapshot.GaugeDataPointSnapshot.builder()
                            .value(p.value())
                            .labels(p.labels())
                            .build()));
        yield b.build();
      }
      case COUNTER -> {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(f.help());
        f.points()
            .forEach(
                p ->
                    b.dataPoint(
                        CounterSnapshot.CounterDataPointSnapshot.builder()
                            .value(p.value())
                            .labels(p.labels())
                            .build()));
        yield b.build();
      }
      case INFO -> {
        InfoSnapshot.Builder b = InfoSnapshot.builder().name(name).help(f.help());
        f.points()
            .forEach(
                p ->
                    b.dataPoint(
                        InfoSnapshot.InfoDataPointSnapshot.builder().labels(p.labels()).build()));
        yield b.build();
      }
    };
  }
}
